/** Repositories: the documented list/create/get/HEAD, plus the undocumented update and delete. */
import {
  type Ctx,
  type EmulatorEnv,
  forbidden,
  type Json,
  notFound,
  paginate,
  type Route,
  route,
  send,
  unauthorized,
} from '../http.js';
import type { EmulatedRepository, EmulatorState } from '../state.js';

/** A repository as lists show it (the spec's `repository_list_entry`). */
export function repoView(r: EmulatedRepository): Json {
  return {
    name: r.name,
    namespace: r.namespace,
    repository_type: 'image',
    status: 1,
    status_description: 'active',
    description: r.description,
    is_private: r.is_private,
    star_count: r.star_count,
    pull_count: r.pull_count,
    last_updated: r.last_updated,
    date_registered: r.date_registered,
    full_description: r.full_description,
    content_types: ['image'],
    immutable_tags_settings: {
      enabled: r.immutable_tags?.enabled ?? false,
      rules: r.immutable_tags?.rules ?? [],
    },
  };
}

/**
 * One repository as get, create and the updates return it (the spec's `repository_info`): the list entry
 * and what the caller may do with it. The emulator keeps no stars, automated builds or categories.
 */
export function repositoryInfo(state: EmulatorState, r: EmulatedRepository, user: string | undefined): Json {
  const admin = state.orgAdmin.isRepoAdmin(r.namespace, r.name, user);
  return {
    ...repoView(r),
    user: r.namespace,
    is_automated: false,
    // Until the first push, the last update is the creation.
    last_updated: r.last_updated ?? r.date_registered,
    collaborator_count: 0,
    has_starred: false,
    permissions: { read: true, write: admin || state.canWrite(user, r.namespace), admin },
    media_types: [],
    categories: [],
  };
}

/** The repository if it exists and the caller may see it (private ones only to writers). */
export function visibleRepo(
  state: EmulatorState,
  ctx: Ctx,
  ns: string,
  name: string,
): EmulatedRepository | undefined {
  const repo = state.repositories.get(state.key(ns, name));
  if (!repo || (repo.is_private && !state.canWrite(ctx.user, ns))) return undefined;
  return repo;
}

/** The signed-in caller and a repository they can see; otherwise replies 401/404 and gives undefined. */
export function signedInRepo(
  state: EmulatorState,
  ctx: Ctx,
  ns: string,
  name: string,
): { user: string; repo: EmulatedRepository } | undefined {
  if (!ctx.user) return void unauthorized(ctx);
  const repo = visibleRepo(state, ctx, ns, name);
  if (!repo) return void notFound(ctx, 'repository');
  return { user: ctx.user, repo };
}

export function repositoryRoutes({ state }: EmulatorEnv): Route[] {
  return [
    route('GET', '/v2/namespaces/:ns/repositories', (ctx, p) => {
      const filter = ctx.url.searchParams.get('name') ?? '';
      const ordering = ctx.url.searchParams.get('ordering') ?? 'name';
      const items = [...state.repositories.values()]
        .filter((r) => r.namespace === p.ns && r.name.includes(filter))
        .filter((r) => !r.is_private || state.canWrite(ctx.user, r.namespace))
        .sort((a, b) => (ordering.startsWith('-') ? -1 : 1) * a.name.localeCompare(b.name));
      send(ctx.res, 200, paginate(items.map(repoView), ctx.url));
    }),
    route('POST', '/v2/namespaces/:ns/repositories', (ctx, p) => {
      const ns = p.ns;
      const body = ctx.body as {
        name: string;
        description?: string;
        is_private?: boolean;
        full_description?: string;
      };
      if (!ctx.user) return unauthorized(ctx);
      if (!state.canWrite(ctx.user, ns))
        return forbidden(ctx, `no permission to create repositories in ${ns}`);
      if (state.repositories.has(state.key(ns, body.name)))
        return send(ctx.res, 409, { detail: `repository ${ns}/${body.name} already exists` });
      const repo = state.addRepository(ns, body.name, body);
      state.record('repo.create', ctx.user, { repository: `${ns}/${body.name}` });
      send(ctx.res, 201, repositoryInfo(state, repo, ctx.user));
    }),
    route('GET', '/v2/namespaces/:ns/repositories/:repo', (ctx, p) => {
      const repo = visibleRepo(state, ctx, p.ns, p.repo);
      return repo ? send(ctx.res, 200, repositoryInfo(state, repo, ctx.user)) : notFound(ctx, 'repository');
    }),
    route('HEAD', '/v2/namespaces/:ns/repositories/:repo', (ctx, p) =>
      send(ctx.res, visibleRepo(state, ctx, p.ns, p.repo) ? 200 : 404),
    ),
    // Undocumented endpoints that Docker Hub serves and users rely on.
    route('PATCH', '/v2/repositories/:ns/:repo', (ctx, p) => {
      const found = signedInRepo(state, ctx, p.ns, p.repo);
      if (!found) return;
      const { user, repo } = found;
      if (!state.canWrite(user, repo.namespace)) return forbidden(ctx);
      const changes = (ctx.body ?? {}) as { description?: string; full_description?: string };
      if (changes.description !== undefined) repo.description = changes.description;
      if (changes.full_description !== undefined) repo.full_description = changes.full_description;
      state.record('repo.update', user, {
        repository: `${repo.namespace}/${repo.name}`,
        fields: Object.keys(changes),
      });
      send(ctx.res, 200, repositoryInfo(state, repo, user));
    }),
    route('DELETE', '/v2/repositories/:ns/:repo', (ctx, p) => {
      const found = signedInRepo(state, ctx, p.ns, p.repo);
      if (!found) return;
      const { user, repo } = found;
      if (!state.canWrite(user, repo.namespace)) return forbidden(ctx);
      state.repositories.delete(state.key(repo.namespace, repo.name));
      state.record('repo.delete', user, { repository: `${repo.namespace}/${repo.name}` });
      send(ctx.res, 202);
    }),
  ];
}
