/**
 * Docker Scout: `POST /v1/graphql` and the metrics exporter. Every incoming document is parsed and
 * validated against Scout's schema (graphql-js) before it runs; invalid ones get a GraphQL error. Valid
 * ones execute with resolvers over the seeded Scout data. Queries need a Hub JWT; users whose plan has no
 * Scout, and organizations the user is not in, get FORBIDDEN (HTTP 200, as GraphQL servers answer).
 */
import {
  defaultFieldResolver,
  execute,
  GraphQLError,
  type GraphQLFieldResolver,
  parse,
  validate,
} from 'graphql';
import { type Ctx, type EmulatorEnv, fail, type Route, route, send } from '../http.js';
import { exporterText } from '../scout/exporter.js';
import { graphqlError, scoutRoot } from '../scout/resolvers.js';

interface GraphQLRequest {
  query?: unknown;
  operationName?: unknown;
  variables?: unknown;
}

const gqlErrors = (ctx: Ctx, status: number, errors: GraphQLError[]) =>
  send(ctx.res, status, { errors: errors.map((e) => e.toJSON()) });

export function scoutRoutes({ state, scoutSchema: schema }: EmulatorEnv): Route[] {
  const root = scoutRoot(state.scout);
  // Root fields the emulator does not implement say so, instead of answering null.
  // Org-scoped root fields need an enrolled organization the user belongs to.
  const fieldResolver: GraphQLFieldResolver<unknown, { user: string }> = (source, args, context, info) => {
    const isRoot = info.parentType.name === 'Query' || info.parentType.name === 'Mutation';
    if (isRoot) {
      if (!(info.fieldName in root))
        throw graphqlError(`${info.parentType.name}.${info.fieldName} is not emulated`, 'NOT_IMPLEMENTED');
      const denied = checkOrganization(state, context.user, args.context);
      if (denied) throw graphqlError(denied, 'FORBIDDEN');
    }
    return defaultFieldResolver(source, args, context, info);
  };

  return [
    route('POST', '/v1/graphql', async (ctx) => {
      const body = (ctx.body ?? {}) as GraphQLRequest;
      if (typeof body.query !== 'string')
        return gqlErrors(ctx, 400, [graphqlError('the request has no "query" string', 'BAD_REQUEST')]);
      let document: ReturnType<typeof parse>;
      try {
        document = parse(body.query);
      } catch (err) {
        const e = err as GraphQLError;
        return gqlErrors(ctx, 400, [
          new GraphQLError(e.message, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } }),
        ]);
      }
      const invalid = validate(schema, document);
      if (invalid.length > 0)
        return gqlErrors(
          ctx,
          400,
          invalid.map(
            (e) =>
              new GraphQLError(e.message, {
                nodes: e.nodes,
                extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
              }),
          ),
        );
      if (!ctx.user)
        return gqlErrors(ctx, 200, [
          graphqlError('authentication required: send a Docker Hub JWT', 'UNAUTHENTICATED'),
        ]);
      if (state.scout.usersWithoutScout.has(ctx.user))
        return gqlErrors(ctx, 200, [
          graphqlError(`Docker Scout is not included in the plan of ${ctx.user}`, 'FORBIDDEN'),
        ]);
      const result = await execute({
        schema,
        document,
        rootValue: root,
        contextValue: { user: ctx.user },
        variableValues: (body.variables ?? {}) as Record<string, unknown>,
        operationName: typeof body.operationName === 'string' ? body.operationName : undefined,
        fieldResolver,
      });
      send(ctx.res, 200, result);
    }),

    route('GET', '/v1/exporter/org/:org/metrics', (ctx, p) => {
      const org = p.org as string;
      const header = ctx.req.headers.authorization ?? '';
      const token = header.startsWith('Bearer ') ? header.slice(7) : '';
      const user = token ? state.patOwner(token) : undefined;
      if (!user) return fail(ctx, 401, 'a personal access token is required as bearer');
      const enrolled = state.scout.orgs.get(org);
      if (!enrolled) return fail(ctx, 403, `organization ${org} is not enrolled in Docker Scout`);
      const owners = enrolled.owners ?? [...(state.orgs.get(org)?.members ?? [])];
      if (!owners.includes(user)) return fail(ctx, 403, `${user} is not an owner of ${org}`);
      ctx.res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
      ctx.res.end(exporterText(state.scout, org));
    }),
  ];
}

function checkOrganization(state: EmulatorEnv['state'], user: string, context: unknown): string | undefined {
  const c = context as { organization?: string | null; namespace?: string | null } | null | undefined;
  const org = c?.organization ?? c?.namespace;
  if (!org) return undefined;
  if (!state.orgs.get(org)?.members.has(user)) return `${user} is not a member of organization ${org}`;
  if (!state.scout.orgs.has(org)) return `organization ${org} is not enrolled in Docker Scout`;
  return undefined;
}
