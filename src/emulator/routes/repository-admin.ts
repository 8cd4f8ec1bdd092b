/**
 * Repository administration: team permissions (CreateRepositoryGroup) and immutable tags (update, verify).
 * Org owners and editors may grant teams access; repository admins (see `isRepoAdmin`) set immutable tags.
 */
import { badRequest, type EmulatorEnv, forbidden, notFound, type Route, route, send } from '../http.js';
import { compileRule, type RepoPermission } from '../org-state.js';
import { repositoryInfo, signedInRepo } from './repositories.js';

export function repositoryAdminRoutes({ state }: EmulatorEnv): Route[] {
  return [
    route('POST', '/v2/repositories/:ns/:repo/groups', (ctx, p) => {
      const ns = p.ns;
      const found = signedInRepo(state, ctx, ns, p.repo);
      if (!found) return;
      const { user, repo } = found;
      if (!state.orgs.has(ns))
        return badRequest(ctx, `${ns} is not an organization: only its repositories have teams`);
      const role = state.orgAdmin.role(ns, user);
      if (role !== 'owner' && role !== 'editor')
        return forbidden(ctx, `only owners and editors of ${ns} can do this`);
      const body = ctx.body as { group_id: number; permission: RepoPermission };
      const team = state.orgAdmin.teamById(ns, body.group_id);
      if (!team) return notFound(ctx, `team ${body.group_id} of ${ns}`);
      repo.team_permissions ??= new Map();
      const previous = repo.team_permissions.get(team.id);
      repo.team_permissions.set(team.id, body.permission);
      state.record('repo.team.grant', user, {
        repository: `${ns}/${repo.name}`,
        team: team.name,
        permission: body.permission,
        previous,
      });
      send(ctx.res, 200, { group_name: team.name, permission: body.permission, group_id: team.id });
    }),
    route('PATCH', '/v2/namespaces/:ns/repositories/:repo/immutabletags', (ctx, p) => {
      const found = signedInRepo(state, ctx, p.ns, p.repo);
      if (!found) return;
      const { user, repo } = found;
      if (!state.orgAdmin.isRepoAdmin(repo.namespace, repo.name, user))
        return forbidden(ctx, 'only repository admins can change immutable tags');
      const body = ctx.body as { immutable_tags: boolean; immutable_tags_rules: string[] };
      const bad = body.immutable_tags_rules.find((r) => !compileRule(r));
      if (bad !== undefined) return badRequest(ctx, `invalid immutable tag rule: ${bad}`);
      repo.immutable_tags = { enabled: body.immutable_tags, rules: [...body.immutable_tags_rules] };
      state.record('repo.immutable_tags.update', user, {
        repository: `${repo.namespace}/${repo.name}`,
        ...repo.immutable_tags,
      });
      send(ctx.res, 200, repositoryInfo(state, repo, user));
    }),
    route('POST', '/v2/namespaces/:ns/repositories/:repo/immutabletags/verify', (ctx, p) => {
      const found = signedInRepo(state, ctx, p.ns, p.repo);
      if (!found) return;
      const { user, repo } = found;
      if (!state.orgAdmin.isRepoAdmin(repo.namespace, repo.name, user))
        return forbidden(ctx, 'only repository admins can verify immutable tag rules');
      const matcher = compileRule((ctx.body as { regex: string }).regex);
      if (!matcher) return badRequest(ctx, 'regex is not a valid regular expression');
      send(ctx.res, 200, { tags: [...repo.tags.keys()].filter((t) => matcher.test(t)).sort() });
    }),
  ];
}
