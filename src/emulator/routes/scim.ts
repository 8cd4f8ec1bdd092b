/**
 * SCIM 2.0 provisioning for the one organization configured by the seed (`scim: { org, token }`). Calls
 * carry that SCIM bearer token, not a Hub JWT; answers are `application/scim+json`. SCIM users are the
 * org's members: creating one adds a user (or finds them by email) and the membership; a replace with
 * `active: false` removes the membership, as Docker documents for deprovisioning, while the IdP can still
 * read and reactivate the user.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { safeEqual } from '../../webhooks/signature.js';
import { bearer, type Ctx, type EmulatorEnv, type Json, type Route, route, send } from '../http.js';
import type { EmulatorState, ScimProfile } from '../state.js';

export const SCIM_USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const LIST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
const MEDIA = { 'content-type': 'application/scim+json' };

function scimSend(ctx: Ctx, status: number, body: unknown, headers: Record<string, string> = {}): void {
  send(ctx.res, status, body, { ...MEDIA, ...headers });
}

function scimFail(ctx: Ctx, status: number, detail: string, scimType?: string): void {
  scimSend(ctx, status, {
    schemas: [ERROR_SCHEMA],
    status: String(status),
    detail,
    ...(scimType ? { scimType } : {}),
  });
}

const USER_RESOURCE_TYPE = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
  id: 'User',
  name: 'User',
  description: 'User',
  endpoint: '/Users',
  schema: SCIM_USER_SCHEMA,
};

const attr = (name: string, type: string, extra: Json = {}): Json => ({
  name,
  type,
  multiValued: false,
  required: false,
  caseExact: false,
  mutability: 'readWrite',
  returned: 'default',
  uniqueness: 'none',
  ...extra,
});

const USER_SCHEMA = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:Schema'],
  id: SCIM_USER_SCHEMA,
  name: 'User',
  description: 'User Account',
  attributes: [
    attr('userName', 'string', { required: true, uniqueness: 'server', description: 'email address' }),
    attr('name', 'complex', {
      subAttributes: [attr('givenName', 'string'), attr('familyName', 'string')],
    }),
    attr('displayName', 'string', { mutability: 'readOnly', description: 'Docker ID' }),
    attr('active', 'boolean'),
    attr('emails', 'complex', {
      multiValued: true,
      subAttributes: [attr('value', 'string'), attr('display', 'string'), attr('primary', 'boolean')],
    }),
  ],
};

const SERVICE_PROVIDER_CONFIG = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
  documentationUri: '',
  patch: { supported: false },
  bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
  filter: { supported: true, maxResults: 200 },
  changePassword: { supported: false },
  sort: { supported: true },
  etag: { supported: false },
  authenticationSchemes: {
    name: 'OAuth 2.0 Bearer Token',
    description: 'The SCIM token of the organization, as a bearer',
    specUri: 'http://tools.ietf.org/html/rfc6750',
    type: 'oauthbearertoken',
  },
};

/** One SCIM filter expression: `attr op "value"` (or `attr pr`), joined by `and` / `or` (no grouping). */
type Predicate = (u: Json) => boolean;

function attributeValues(u: Json, path: string): unknown[] {
  const [head, sub] = path.split('.') as [string, string | undefined];
  const key = Object.keys(u).find((k) => k.toLowerCase() === head.toLowerCase());
  const v = key === undefined ? undefined : u[key];
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v.map((x) => (sub ? (x as Json)[sub] : ((x as Json).value ?? x)));
  if (sub && typeof v === 'object') return [(v as Json)[sub]];
  return [v];
}

function parseFilter(filter: string): Predicate | undefined {
  const expr = /^\s*([\w.]+)\s+(eq|ne|co|sw|ew|pr)(?:\s+("(?:[^"\\]|\\.)*"|true|false))?\s*/i;
  const terms: Predicate[][] = [[]];
  let rest = filter;
  while (rest.trim()) {
    const m = expr.exec(rest);
    if (!m) return undefined;
    const [, path, opRaw, literal] = m as unknown as [string, string, string, string | undefined];
    const op = opRaw.toLowerCase();
    if ((op === 'pr') !== (literal === undefined)) return undefined;
    const want =
      literal === undefined ? '' : literal.startsWith('"') ? (JSON.parse(literal) as string) : literal;
    const w = want.toLowerCase();
    const test = (x: unknown) => {
      const s = String(x).toLowerCase();
      if (op === 'eq') return s === w;
      if (op === 'ne') return s !== w;
      if (op === 'co') return s.includes(w);
      if (op === 'sw') return s.startsWith(w);
      return s.endsWith(w);
    };
    const pred: Predicate =
      op === 'pr'
        ? (u) => attributeValues(u, path).length > 0
        : op === 'ne'
          ? (u) => attributeValues(u, path).every(test)
          : (u) => attributeValues(u, path).some(test);
    terms[terms.length - 1]?.push(pred);
    rest = rest.slice(m[0].length);
    const join = /^(and|or)\s+/i.exec(rest);
    if (join) {
      if ((join[1] as string).toLowerCase() === 'or') terms.push([]);
      rest = rest.slice(join[0].length);
      if (!rest.trim()) return undefined;
    } else if (rest.trim()) return undefined;
  }
  return (u) => terms.some((all) => all.length > 0 && all.every((p) => p(u)));
}

/** A Docker ID from an email's local part: lowercase letters and digits, unique among users. */
function newUsername(state: EmulatorState, email: string, wanted?: string): string {
  if (wanted && /^[a-z0-9]{4,30}$/.test(wanted) && !state.users.has(wanted)) return wanted;
  const base = ((email.split('@')[0] ?? '').toLowerCase().replace(/[^a-z0-9]/g, '') || 'user')
    .padEnd(4, '0')
    .slice(0, 26);
  let name = base;
  for (let n = 1; state.users.has(name); n++) name = `${base}${n}`;
  return name;
}

export function scimRoutes({ state, baseUrl }: EmulatorEnv): Route[] {
  const base = '/v2/scim/2.0';

  /** Whether the bearer is the configured SCIM token (answers 401 itself when not). */
  const authorized = (ctx: Ctx): boolean => {
    const want = state.scim?.token ?? '';
    if (want !== '' && safeEqual(bearer(ctx.req) ?? '', want)) return true;
    scimFail(ctx, 401, 'a valid SCIM bearer token is required');
    return false;
  };
  const org = () => state.orgs.get(state.scim?.org ?? '');
  const isScimUser = (username: string) =>
    (org()?.members.has(username) ?? false) || state.scimInactive.has(username);
  const profile = (username: string): ScimProfile => {
    let p = state.scimProfiles.get(username);
    if (!p) {
      const now = new Date().toISOString();
      p = { created: now, lastModified: now };
      state.scimProfiles.set(username, p);
    }
    return p;
  };

  const userView = (username: string): Json => {
    const u = state.users.get(username);
    const p = profile(username);
    const email = u?.email ?? username;
    return {
      schemas: [SCIM_USER_SCHEMA],
      id: u?.uuid,
      userName: email,
      name: { givenName: p.givenName ?? '', familyName: p.familyName ?? '' },
      displayName: username,
      active: !state.scimInactive.has(username),
      emails: [{ value: email, display: email, primary: true }],
      groups: [],
      meta: {
        resourceType: 'User',
        location: `${baseUrl()}${base}/Users/${u?.uuid}`,
        created: p.created,
        lastModified: p.lastModified,
      },
    };
  };
  const byId = (id: string | undefined) =>
    [...state.users.values()].find((u) => u.uuid === id && isScimUser(u.username));

  /** Keeps only the requested attributes (plus `id` and `schemas`, always returned). */
  const project = (user: Json, attributes: string | null): Json => {
    if (!attributes) return user;
    const keep = new Set(['id', 'schemas', ...attributes.split(',').map((a) => a.trim().split('.')[0])]);
    return Object.fromEntries(Object.entries(user).filter(([k]) => keep.has(k)));
  };

  const list = (resources: Json[]): Json => ({
    schemas: [LIST_SCHEMA],
    totalResults: resources.length,
    startIndex: 1,
    itemsPerPage: resources.length,
    Resources: resources,
  });

  return [
    route('GET', `${base}/ServiceProviderConfig`, (ctx) => {
      if (authorized(ctx)) scimSend(ctx, 200, SERVICE_PROVIDER_CONFIG);
    }),
    route('GET', `${base}/ResourceTypes`, (ctx) => {
      if (authorized(ctx)) scimSend(ctx, 200, list([USER_RESOURCE_TYPE]));
    }),
    route('GET', `${base}/ResourceTypes/:name`, (ctx, p) => {
      if (!authorized(ctx)) return;
      if (p.name === 'User') scimSend(ctx, 200, USER_RESOURCE_TYPE);
      else scimFail(ctx, 404, `resource type ${p.name} not found`);
    }),
    route('GET', `${base}/Schemas`, (ctx) => {
      if (authorized(ctx)) scimSend(ctx, 200, list([USER_SCHEMA]));
    }),
    route('GET', `${base}/Schemas/:id`, (ctx, p) => {
      if (!authorized(ctx)) return;
      if (p.id === SCIM_USER_SCHEMA) scimSend(ctx, 200, USER_SCHEMA);
      else scimFail(ctx, 404, `schema ${p.id} not found`);
    }),
    route('GET', `${base}/Users`, (ctx) => {
      if (!authorized(ctx)) return;
      const q = ctx.url.searchParams;
      const filter = q.get('filter');
      const predicate = filter ? parseFilter(filter) : () => true;
      if (!predicate) return scimFail(ctx, 400, `unsupported filter: ${filter}`, 'invalidFilter');
      const sortBy = q.get('sortBy') ?? 'userName';
      const direction = q.get('sortOrder') === 'descending' ? -1 : 1;
      const users = [...new Set([...(org()?.members ?? []), ...state.scimInactive])]
        .filter((name) => state.users.has(name))
        .map(userView)
        .filter(predicate)
        .sort(
          (a, b) =>
            direction *
            String(attributeValues(a, sortBy)[0] ?? '').localeCompare(
              String(attributeValues(b, sortBy)[0] ?? ''),
            ),
        );
      const startIndex = Math.max(1, Number(q.get('startIndex') ?? 1));
      const count = Math.min(200, Math.max(0, Number(q.get('count') ?? 100)));
      const page = users.slice(startIndex - 1, startIndex - 1 + count);
      scimSend(ctx, 200, {
        schemas: [LIST_SCHEMA],
        totalResults: users.length,
        startIndex,
        itemsPerPage: page.length,
        Resources: page.map((u) => project(u, q.get('attributes'))),
      });
    }),
    route('GET', `${base}/Users/:id`, (ctx, p) => {
      if (!authorized(ctx)) return;
      const user = byId(p.id);
      if (!user) return scimFail(ctx, 404, `user ${p.id} not found`);
      scimSend(ctx, 200, project(userView(user.username), ctx.url.searchParams.get('attributes')));
    }),
    route('POST', `${base}/Users`, (ctx) => {
      if (!authorized(ctx)) return;
      const o = org();
      if (!o) return scimFail(ctx, 404, 'the SCIM organization does not exist');
      const body = ctx.body as {
        schemas: string[];
        userName: string;
        displayName?: string;
        name?: { givenName?: string; familyName?: string };
      };
      if (!Array.isArray(body.schemas) || !body.schemas.includes(SCIM_USER_SCHEMA))
        return scimFail(ctx, 400, `schemas must include ${SCIM_USER_SCHEMA}`, 'invalidValue');
      if (typeof body.userName !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(body.userName))
        return scimFail(ctx, 400, 'userName must be an email address', 'invalidValue');
      const email = body.userName.toLowerCase();
      let user = [...state.users.values()].find((u) => u.email?.toLowerCase() === email);
      if (user && o.members.has(user.username))
        return scimFail(ctx, 409, `${body.userName} is already provisioned`, 'uniqueness');
      if (!user) {
        const username = newUsername(state, email, body.displayName);
        user = { username, password: randomBytes(24).toString('hex'), email, uuid: randomUUID() };
        state.users.set(username, user);
      }
      state.orgAdmin.setMember(o.name, user.username, 'member');
      state.scimInactive.delete(user.username);
      const p = profile(user.username);
      p.givenName = body.name?.givenName ?? p.givenName;
      p.familyName = body.name?.familyName ?? p.familyName;
      p.lastModified = new Date().toISOString();
      state.record('org.member.add', 'scim', { org: o.name, member: user.username, via: 'scim' });
      const view = userView(user.username);
      scimSend(ctx, 201, view, { location: (view.meta as Json).location as string });
    }),
    route('PUT', `${base}/Users/:id`, (ctx, p) => {
      if (!authorized(ctx)) return;
      const o = org();
      const user = byId(p.id);
      if (!o || !user) return scimFail(ctx, 404, `user ${p.id} not found`);
      const body = ctx.body as {
        schemas: string[];
        name?: { givenName?: string; familyName?: string };
        emails?: Array<{ value?: string; primary?: boolean }>;
        active?: boolean;
        enabled?: boolean;
      };
      if (!Array.isArray(body.schemas) || !body.schemas.includes(SCIM_USER_SCHEMA))
        return scimFail(ctx, 400, `schemas must include ${SCIM_USER_SCHEMA}`, 'invalidValue');
      const email = (body.emails?.find((e) => e.primary) ?? body.emails?.[0])?.value?.toLowerCase();
      if (email && [...state.users.values()].some((u) => u !== user && u.email?.toLowerCase() === email))
        return scimFail(ctx, 409, `${email} belongs to another user`, 'uniqueness');
      // RFC 7643 names it `active`; Docker's spec documents `enabled`, defaulting to false when omitted.
      const active = body.active ?? body.enabled ?? false;
      const prof = profile(user.username);
      if (body.name?.givenName !== undefined) prof.givenName = body.name.givenName;
      if (body.name?.familyName !== undefined) prof.familyName = body.name.familyName;
      if (email) user.email = email;
      prof.lastModified = new Date().toISOString();
      const wasActive = !state.scimInactive.has(user.username);
      if (wasActive && !active) {
        state.orgAdmin.removeMember(o.name, user.username);
        state.scimInactive.add(user.username);
        state.record('org.member.remove', 'scim', { org: o.name, member: user.username, via: 'scim' });
      } else if (!wasActive && active) {
        state.orgAdmin.setMember(o.name, user.username, 'member');
        state.scimInactive.delete(user.username);
        state.record('org.member.add', 'scim', { org: o.name, member: user.username, via: 'scim' });
      } else {
        state.record('scim.user.update', 'scim', {
          org: o.name,
          member: user.username,
          fields: Object.keys(body).filter((k) => k !== 'schemas'),
        });
      }
      scimSend(ctx, 200, userView(user.username));
    }),
  ];
}
