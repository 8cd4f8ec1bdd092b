/** Hub tags: the documented list/get and their HEAD checks, plus the undocumented delete. */
import {
  type EmulatorEnv,
  forbidden,
  notFound,
  paginate,
  type Route,
  route,
  send,
  unauthorized,
} from '../http.js';
import { visibleRepo } from './repositories.js';

export function tagRoutes({ state }: EmulatorEnv): Route[] {
  return [
    route('GET', '/v2/namespaces/:ns/repositories/:repo/tags', (ctx, p) => {
      const repo = visibleRepo(state, ctx, p.ns, p.repo);
      if (!repo) return notFound(ctx, 'repository');
      const tags = [...repo.tags.values()].sort((a, b) => a.name.localeCompare(b.name));
      send(ctx.res, 200, paginate(tags, ctx.url));
    }),
    route('HEAD', '/v2/namespaces/:ns/repositories/:repo/tags', (ctx, p) =>
      send(ctx.res, visibleRepo(state, ctx, p.ns, p.repo)?.tags.size ? 200 : 404),
    ),
    route('GET', '/v2/namespaces/:ns/repositories/:repo/tags/:tag', (ctx, p) => {
      const tag = visibleRepo(state, ctx, p.ns, p.repo)?.tags.get(p.tag);
      return tag ? send(ctx.res, 200, tag) : notFound(ctx, 'tag');
    }),
    route('HEAD', '/v2/namespaces/:ns/repositories/:repo/tags/:tag', (ctx, p) =>
      send(ctx.res, visibleRepo(state, ctx, p.ns, p.repo)?.tags.has(p.tag) ? 200 : 404),
    ),
    // Undocumented endpoint.
    route('DELETE', '/v2/repositories/:ns/:repo/tags/:tag', (ctx, p) => {
      if (!ctx.user) return unauthorized(ctx);
      const repo = visibleRepo(state, ctx, p.ns, p.repo);
      if (!repo?.tags.has(p.tag)) return notFound(ctx, 'tag');
      if (!state.canWrite(ctx.user, repo.namespace)) return forbidden(ctx);
      if (state.isImmutableTag(repo.namespace, repo.name, p.tag))
        return forbidden(ctx, `tag ${p.tag} is immutable and cannot be deleted`);
      repo.tags.delete(p.tag);
      state.record('tag.delete', ctx.user, { repository: `${repo.namespace}/${repo.name}`, tag: p.tag });
      send(ctx.res, 204);
    }),
  ];
}
