/**
 * A local, stateful Docker Hub on 127.0.0.1 for demos and tests: `POST /v2/auth/token` issues signed
 * JWTs with a real `exp`; repositories and tags are served from seedable state; every request matching a
 * documented operation is validated against Docker's OpenAPI spec (400 naming the violation); every
 * response carries `X-RateLimit-*`; faults (429 with Retry-After, 5xx, latency) are injected by config;
 * every mutation is written to the audit log. Operations not emulated yet answer 501.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jwtVerify, SignJWT } from 'jose';
import { defaultSpecPath, loadSpecValidator, type SpecValidator } from './spec.js';
import { type EmulatedRepository, EmulatorState, type Seed } from './state.js';

export interface FaultRule {
  /** Regular expression on "METHOD /path". */
  match?: string;
  status: number;
  retryAfter?: number;
  /** How many requests to fail (default 1). */
  times?: number;
}

export interface EmulatorOptions {
  port?: number;
  host?: string;
  seed?: Seed;
  state?: EmulatorState;
  /** OpenAPI spec to validate against; default: see spec.ts. `false` disables validation. */
  specPath?: string | false;
  /** Lifetime of issued JWTs (default 600 s, as Docker Hub). */
  jwtTtlSeconds?: number;
  faults?: FaultRule[];
  /** Added latency per request. */
  latencyMs?: number;
  rateLimit?: number;
}

export interface RunningEmulator {
  url: string;
  state: EmulatorState;
  spec: SpecValidator | undefined;
  faults: FaultRule[];
  stop(): Promise<void>;
}

type Json = Record<string, unknown>;
interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  body: unknown;
  user?: string;
}

function send(
  res: ServerResponse,
  status: number,
  body?: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    ...headers,
  });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

function repoView(r: EmulatedRepository): Json {
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
  };
}

/** Hub-style page: `count`, absolute `next`/`previous` URLs, `results`. */
function paginate<T>(items: T[], url: URL, defaultSize = 10): Json {
  const page = Math.max(1, Number(url.searchParams.get('page') ?? 1));
  const size = Math.max(1, Number(url.searchParams.get('page_size') ?? defaultSize));
  const link = (p: number) => {
    const u = new URL(url);
    u.searchParams.set('page', String(p));
    u.searchParams.set('page_size', String(size));
    return u.toString();
  };
  const start = (page - 1) * size;
  return {
    count: items.length,
    next: start + size < items.length ? link(page + 1) : null,
    previous: page > 1 ? link(page - 1) : null,
    results: items.slice(start, start + size),
  };
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<RunningEmulator> {
  const state = opts.state ?? new EmulatorState(opts.seed);
  const specPath = opts.specPath === false ? undefined : (opts.specPath ?? defaultSpecPath());
  const spec = specPath ? await loadSpecValidator(specPath) : undefined;
  const key = new TextEncoder().encode(randomBytes(32).toString('hex'));
  const ttl = opts.jwtTtlSeconds ?? 600;
  const faults = [...(opts.faults ?? [])];
  const limit = opts.rateLimit ?? 180;
  let window = { start: Date.now(), used: 0 };
  let baseUrl = '';

  async function mint(username: string): Promise<string> {
    const user = state.users.get(username);
    return new SignJWT({
      'https://hub.docker.com': { username, email: user?.email, uuid: user?.uuid },
      gen: state.tokenGeneration,
    })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(user?.uuid ?? username)
      .setIssuer(baseUrl)
      .setIssuedAt()
      .setExpirationTime(`${ttl}s`)
      .sign(key);
  }

  async function authenticate(req: IncomingMessage): Promise<string | undefined> {
    const header = req.headers.authorization;
    if (!header?.startsWith('Bearer ')) return undefined;
    try {
      const { payload } = await jwtVerify(header.slice(7), key, { issuer: baseUrl });
      if (payload.gen !== state.tokenGeneration) return undefined;
      return (payload['https://hub.docker.com'] as { username?: string } | undefined)?.username;
    } catch {
      return undefined;
    }
  }

  const unauthorized = (ctx: Ctx) =>
    send(ctx.res, 401, { detail: 'authentication required', message: 'authentication required' });
  const notFound = (ctx: Ctx, what: string) =>
    send(ctx.res, 404, { detail: `${what} not found`, message: 'object not found' });

  function findRepo(ctx: Ctx, ns: string, name: string): EmulatedRepository | undefined {
    const repo = state.repositories.get(state.key(ns, name));
    if (!repo || (repo.is_private && !state.canWrite(ctx.user, ns))) return undefined;
    return repo;
  }

  // Routes: [method, pattern, handler]. Patterns use named groups for path parameters.
  const routes: Array<[string, RegExp, (ctx: Ctx, p: Record<string, string>) => Promise<void> | void]> = [
    [
      'POST',
      /^\/v2\/auth\/token$/,
      async (ctx) => {
        const { identifier, secret } = ctx.body as { identifier: string; secret: string };
        const user = state.users.get(identifier);
        if (!user || user.password !== secret) {
          send(ctx.res, 401, {
            detail: 'incorrect username or password',
            message: 'incorrect username or password',
          });
          return;
        }
        send(ctx.res, 200, { access_token: await mint(identifier) });
      },
    ],
    [
      'GET',
      /^\/v2\/namespaces\/(?<ns>[^/]+)\/repositories$/,
      (ctx, p) => {
        const filter = ctx.url.searchParams.get('name') ?? '';
        const ordering = ctx.url.searchParams.get('ordering') ?? 'name';
        const items = [...state.repositories.values()]
          .filter((r) => r.namespace === p.ns && r.name.includes(filter))
          .filter((r) => !r.is_private || state.canWrite(ctx.user, r.namespace))
          .sort((a, b) => (ordering.startsWith('-') ? -1 : 1) * a.name.localeCompare(b.name));
        send(ctx.res, 200, paginate(items.map(repoView), ctx.url));
      },
    ],
    [
      'POST',
      /^\/v2\/namespaces\/(?<ns>[^/]+)\/repositories$/,
      (ctx, p) => {
        const body = ctx.body as {
          name: string;
          namespace: string;
          description?: string;
          is_private?: boolean;
          full_description?: string;
        };
        if (!ctx.user) return unauthorized(ctx);
        if (!state.canWrite(ctx.user, p.ns as string)) {
          send(ctx.res, 403, { detail: `no permission to create repositories in ${p.ns}` });
          return;
        }
        if (state.repositories.has(state.key(p.ns as string, body.name))) {
          send(ctx.res, 409, { detail: `repository ${p.ns}/${body.name} already exists` });
          return;
        }
        const repo = state.addRepository(p.ns as string, body.name, body);
        state.record('repo.create', ctx.user, { repository: `${p.ns}/${body.name}` });
        send(ctx.res, 201, repoView(repo));
      },
    ],
    [
      'GET',
      /^\/v2\/namespaces\/(?<ns>[^/]+)\/repositories\/(?<repo>[^/]+)$/,
      (ctx, p) => {
        const repo = findRepo(ctx, p.ns as string, p.repo as string);
        return repo ? send(ctx.res, 200, repoView(repo)) : notFound(ctx, 'repository');
      },
    ],
    [
      'HEAD',
      /^\/v2\/namespaces\/(?<ns>[^/]+)\/repositories\/(?<repo>[^/]+)$/,
      (ctx, p) => send(ctx.res, findRepo(ctx, p.ns as string, p.repo as string) ? 200 : 404),
    ],
    [
      'GET',
      /^\/v2\/namespaces\/(?<ns>[^/]+)\/repositories\/(?<repo>[^/]+)\/tags$/,
      (ctx, p) => {
        const repo = findRepo(ctx, p.ns as string, p.repo as string);
        if (!repo) return notFound(ctx, 'repository');
        const tags = [...repo.tags.values()].sort((a, b) => a.name.localeCompare(b.name));
        send(ctx.res, 200, paginate(tags, ctx.url));
      },
    ],
    [
      'HEAD',
      /^\/v2\/namespaces\/(?<ns>[^/]+)\/repositories\/(?<repo>[^/]+)\/tags$/,
      (ctx, p) => send(ctx.res, findRepo(ctx, p.ns as string, p.repo as string)?.tags.size ? 200 : 404),
    ],
    [
      'GET',
      /^\/v2\/namespaces\/(?<ns>[^/]+)\/repositories\/(?<repo>[^/]+)\/tags\/(?<tag>[^/]+)$/,
      (ctx, p) => {
        const tag = findRepo(ctx, p.ns as string, p.repo as string)?.tags.get(p.tag as string);
        return tag ? send(ctx.res, 200, tag) : notFound(ctx, 'tag');
      },
    ],
    [
      'HEAD',
      /^\/v2\/namespaces\/(?<ns>[^/]+)\/repositories\/(?<repo>[^/]+)\/tags\/(?<tag>[^/]+)$/,
      (ctx, p) =>
        send(ctx.res, findRepo(ctx, p.ns as string, p.repo as string)?.tags.has(p.tag as string) ? 200 : 404),
    ],
    // Undocumented endpoints that Docker Hub serves and users rely on.
    [
      'PATCH',
      /^\/v2\/repositories\/(?<ns>[^/]+)\/(?<repo>[^/]+)\/?$/,
      (ctx, p) => {
        if (!ctx.user) return unauthorized(ctx);
        const repo = findRepo(ctx, p.ns as string, p.repo as string);
        if (!repo) return notFound(ctx, 'repository');
        if (!state.canWrite(ctx.user, repo.namespace)) return send(ctx.res, 403, { detail: 'forbidden' });
        const changes = (ctx.body ?? {}) as { description?: string; full_description?: string };
        if (changes.description !== undefined) repo.description = changes.description;
        if (changes.full_description !== undefined) repo.full_description = changes.full_description;
        state.record('repo.update', ctx.user, {
          repository: `${repo.namespace}/${repo.name}`,
          fields: Object.keys(changes),
        });
        send(ctx.res, 200, repoView(repo));
      },
    ],
    [
      'DELETE',
      /^\/v2\/repositories\/(?<ns>[^/]+)\/(?<repo>[^/]+)\/?$/,
      (ctx, p) => {
        if (!ctx.user) return unauthorized(ctx);
        const repo = findRepo(ctx, p.ns as string, p.repo as string);
        if (!repo) return notFound(ctx, 'repository');
        if (!state.canWrite(ctx.user, repo.namespace)) return send(ctx.res, 403, { detail: 'forbidden' });
        state.repositories.delete(state.key(repo.namespace, repo.name));
        state.record('repo.delete', ctx.user, { repository: `${repo.namespace}/${repo.name}` });
        send(ctx.res, 202);
      },
    ],
    [
      'DELETE',
      /^\/v2\/repositories\/(?<ns>[^/]+)\/(?<repo>[^/]+)\/tags\/(?<tag>[^/]+)\/?$/,
      (ctx, p) => {
        if (!ctx.user) return unauthorized(ctx);
        const repo = findRepo(ctx, p.ns as string, p.repo as string);
        if (!repo?.tags.has(p.tag as string)) return notFound(ctx, 'tag');
        if (!state.canWrite(ctx.user, repo.namespace)) return send(ctx.res, 403, { detail: 'forbidden' });
        repo.tags.delete(p.tag as string);
        state.record('tag.delete', ctx.user, { repository: `${repo.namespace}/${repo.name}`, tag: p.tag });
        send(ctx.res, 204);
      },
    ],
    [
      'GET',
      /^\/v2\/user\/?$/,
      (ctx) => {
        if (!ctx.user) return unauthorized(ctx);
        const u = state.users.get(ctx.user);
        send(ctx.res, 200, { id: u?.uuid, username: ctx.user, email: u?.email, type: 'User' });
      },
    ],
  ];

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', baseUrl);
    if (opts.latencyMs) await new Promise((r) => setTimeout(r, opts.latencyMs));
    // Rate-limit headers on every response, per one-minute window.
    if (Date.now() - window.start > 60_000) window = { start: Date.now(), used: 0 };
    window.used++;
    res.setHeader('x-ratelimit-limit', String(limit));
    res.setHeader('x-ratelimit-remaining', String(Math.max(0, limit - window.used)));
    res.setHeader('x-ratelimit-reset', String(Math.ceil((window.start + 60_000) / 1000)));
    const line = `${req.method} ${url.pathname}`;
    const fault = faults.find((f) => (f.times ?? 1) > 0 && (!f.match || new RegExp(f.match).test(line)));
    if (fault) {
      fault.times = (fault.times ?? 1) - 1;
      send(
        res,
        fault.status,
        { detail: 'injected fault' },
        fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {},
      );
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let body: unknown;
    const text = Buffer.concat(chunks).toString('utf8');
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        send(res, 400, { detail: 'request body is not JSON' });
        return;
      }
    }
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]),
    );
    const check = spec?.check({
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      body,
    });
    if (check?.violation) {
      send(res, 400, {
        detail: `request does not match the Docker Hub API spec (${check.operation}): ${check.violation}`,
      });
      return;
    }
    const user = await authenticate(req);
    if (req.headers.authorization && !user) {
      // As Docker Hub: a bearer that is expired, revoked or forged is refused outright.
      send(res, 401, { detail: 'invalid or expired token', message: 'invalid or expired token' });
      return;
    }
    const ctx: Ctx = { req, res, url, body, user };
    for (const [method, pattern, handler] of routes) {
      const m = pattern.exec(url.pathname);
      if (m && method === req.method) {
        await handler(
          ctx,
          Object.fromEntries(Object.entries(m.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)])),
        );
        return;
      }
    }
    if (check?.operation) send(res, 501, { detail: `${check.operation} is documented but not emulated yet` });
    else send(res, 404, { detail: `no such endpoint: ${line}` });
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => send(res, 500, { detail: `emulator error: ${err.message}` }));
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: baseUrl,
    state,
    spec,
    faults,
    async stop() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
