/**
 * A local, stateful Docker Hub on 127.0.0.1 for demos and tests: `POST /v2/auth/token` issues signed
 * JWTs with a real `exp`; repositories and tags are served from seedable state; every request matching a
 * documented operation is validated against Docker's OpenAPI spec (400 naming the violation; a spec that
 * cannot be read stops the start, and only an explicit `validate: false` turns the check off); every
 * response carries `X-RateLimit-*`; faults (429 with Retry-After, 5xx, latency) are injected by config;
 * every mutation is written to the audit log. Operations not emulated yet answer 501.
 *
 * Beside it, optionally, a registry (spawned distribution, built-in, or the user's own) that trusts the
 * emulator's token service (`/token`) and reports pushes and deletes, which keep repositories and tags in
 * sync. With `persistPath`, the state is loaded from that file at start and saved after every mutation.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jwtVerify, SignJWT } from 'jose';
import { enablePrometheus, recordServedRequest, serveMetrics } from '../core/telemetry.js';
import { bearer, type Ctx, type RegistryServices, send } from './http.js';
import { readStateFile, StateFileWriter } from './persist.js';
import {
  type EmulatorRegistry,
  type ExternalRegistry,
  externalRegistry,
  type RegistryMode,
  startRegistryFor,
} from './registry-launch.js';
import { EVENTS_SECRET_HEADER } from './registry-notifications.js';
import { RegistrySync } from './registry-sync.js';
import type { RegistryTokenAuth } from './registry-types.js';
import { allRoutes } from './routes/index.js';
import { REGISTRY_EVENTS_PATH } from './routes/registry-events.js';
import { loadScoutSchema } from './scout/schema.js';
import { loadSpecValidator, type SpecValidator } from './spec.js';
import { defaultScoutSchemaPath, defaultSpecPath } from './spec-files.js';
import { EmulatorState, type Seed } from './state.js';
import { TokenService } from './token-service.js';

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
  /**
   * Validate every request to a documented operation against Docker's Hub spec (default true). `false`
   * serves requests unchecked, and says so through `warn` at start-up.
   */
  validate?: boolean;
  /**
   * The Hub spec (JSON or YAML) to validate against; default `DOCKERHUB_HUB_SPEC`, else the package's
   * `specs/hub-api.json`. A missing or unreadable file stops the start with an error naming it.
   * `false` is the older spelling of `validate: false`.
   */
  specPath?: string | false;
  /** Docker Scout's GraphQL schema; default `DOCKERHUB_SCOUT_SCHEMA`, else `specs/scout-schema.graphql`. */
  scoutSchemaPath?: string;
  /**
   * Check every answer to a documented operation against the spec's response schemas, recording each
   * departure in `responseViolations` (the test suite's drift check; default off).
   */
  checkResponses?: boolean;
  /** Where start-up warnings go, one line each (default: stderr). */
  warn?: (line: string) => void;
  /** Lifetime of issued JWTs (default 600 s, as Docker Hub). */
  jwtTtlSeconds?: number;
  faults?: FaultRule[];
  /** Added latency per request. */
  latencyMs?: number;
  rateLimit?: number;
  /** The registry beside the emulator (default `none`); `{ url }` names one you run yourself. */
  registry?: RegistryMode | ExternalRegistry;
  /** Port of a spawned or built-in registry (default: any free port). */
  registryPort?: number;
  /**
   * The Hub API's address as clients reach it, when that is not where it listens (in a container:
   * `http://emulator:8000`). It names the JWT issuer and the registry token realm. Default
   * `http://127.0.0.1:PORT`.
   */
  publicUrl?: string;
  /** Where a spawned or built-in registry listens (default 127.0.0.1; `0.0.0.0` in a container). */
  registryHost?: string;
  /** The registry's `host:port` as image references name it, when not where it listens (`emulator:5000`). */
  registryPublicHost?: string;
  /** Where a spawned or built-in registry stores blobs (default: a temp dir, or memory). */
  storageDir?: string;
  /** Load the state from this file when it exists (instead of `seed`/`state`); save it after every mutation. */
  persistPath?: string;
}

/** An answer of the emulator that does not match the documented response of its operation. */
export interface ResponseViolation {
  operation: string;
  /** `METHOD /path?query` of the request. */
  request: string;
  status: number;
  violation: string;
}

/** Where registries you run yourself send their notifications (distribution's `notifications.endpoints`). */
export interface RegistryEventsEndpoint {
  url: string;
  /** Header name and value to send with every notification. */
  header: string;
  secret: string;
}

export interface RunningEmulator {
  url: string;
  state: EmulatorState;
  /** The request validator; undefined when started with `validate: false`. */
  spec: SpecValidator | undefined;
  /** With `checkResponses`: the documented operations whose answers were checked so far. */
  responsesChecked: Set<string>;
  /** With `checkResponses`: the answers that departed from the spec's response schemas. */
  responseViolations: ResponseViolation[];
  faults: FaultRule[];
  /** Documented operations a route has answered so far (names as in `spec.operationNames`). */
  operationsServed: Set<string>;
  /** What a registry needs to trust the emulator's tokens (realm, service, issuer, root certificate). */
  registryAuth: RegistryTokenAuth;
  /** The registry beside the emulator, if any. */
  registry?: EmulatorRegistry;
  registryEvents: RegistryEventsEndpoint;
  /** Applies registry events to repositories and tags (what the registry's notifications do). */
  sync: RegistrySync;
  /** Waits for webhook deliveries under way and for the state file to be written. */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

async function initialState(opts: EmulatorOptions): Promise<EmulatorState> {
  const saved = opts.persistPath ? await readStateFile(opts.persistPath) : undefined;
  if (saved !== undefined) return EmulatorState.deserialise(saved);
  return opts.state ?? new EmulatorState(opts.seed);
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<RunningEmulator> {
  const validate = opts.validate !== false && opts.specPath !== false;
  const spec = validate
    ? await loadSpecValidator(typeof opts.specPath === 'string' ? opts.specPath : defaultSpecPath())
    : undefined;
  if (!spec)
    (opts.warn ?? ((line) => process.stderr.write(line)))(
      "dockerhub emulator: request validation is off: requests are not checked against Docker's Hub API spec\n",
    );
  const scoutSchema = loadScoutSchema(opts.scoutSchemaPath ?? defaultScoutSchemaPath());
  const responseViolations: ResponseViolation[] = [];
  const responsesChecked = new Set<string>();
  const state = await initialState(opts);
  await enablePrometheus();
  const key = new TextEncoder().encode(randomBytes(32).toString('hex'));
  const ttl = opts.jwtTtlSeconds ?? 600;
  const faults = [...(opts.faults ?? [])];
  const operationsServed = new Set<string>();
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
    const token = bearer(req);
    if (token === undefined) return undefined;
    try {
      const { payload } = await jwtVerify(token, key, { issuer: baseUrl });
      if (payload.gen !== state.tokenGeneration) return undefined;
      return (payload['https://hub.docker.com'] as { username?: string } | undefined)?.username;
    } catch {
      return undefined;
    }
  }

  const tokens = new TokenService(state, await TokenService.createKey(), () => `${baseUrl}/token`);
  const registryServices: RegistryServices = {
    tokens,
    eventsSecret: randomBytes(24).toString('hex'),
    sync: new RegistrySync(state),
  };
  const routes = allRoutes({ state, mint, baseUrl: () => baseUrl, registry: registryServices, scoutSchema });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', baseUrl);
    if (req.method === 'GET' && url.pathname === '/metrics') return serveMetrics(res);
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
    const form = /^application\/x-www-form-urlencoded/i.test(req.headers['content-type'] ?? '');
    if (text && !form) {
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
    const operation = check?.operation ?? 'undocumented';
    res.once('finish', () => recordServedRequest('emulator', operation, res.statusCode));
    if (check?.violation) {
      send(res, 400, {
        detail: `request does not match the Docker Hub API spec (${check.operation}): ${check.violation}`,
      });
      return;
    }
    const user = await authenticate(req);
    // SCIM routes check their own bearer (a SCIM token, not a Hub JWT), and so does the Scout exporter (a
    // PAT); the registry token service takes Basic credentials, and registry notifications carry a secret.
    if (req.headers.authorization && !user && !checksOwnAuth(url.pathname)) {
      // As Docker Hub: a bearer that is expired, revoked or forged is refused outright.
      send(res, 401, { detail: 'invalid or expired token', message: 'invalid or expired token' });
      return;
    }
    const ctx: Ctx = { req, res, url, body, rawBody: text, user };
    for (const { method, pattern, handler } of routes) {
      const m = pattern.exec(url.pathname);
      if (m && method === req.method) {
        if (check?.operation) {
          operationsServed.add(check.operation);
          if (opts.checkResponses && spec) recordAnswer(res, check.operation, `${req.method} ${req.url}`);
        }
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

  /** Checks the answer as the handler completes it, before it goes out: the client never sees it first. */
  function recordAnswer(res: ServerResponse, operation: string, request: string): void {
    onEnd(res, (body) => {
      const violations = spec?.checkResponse({
        operation,
        method: request.split(' ')[0] ?? 'GET',
        status: res.statusCode,
        contentType: String(res.getHeader('content-type') ?? ''),
        body,
      });
      responsesChecked.add(operation);
      for (const violation of violations ?? [])
        responseViolations.push({ operation, request, status: res.statusCode, violation });
    });
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => send(res, 500, { detail: `emulator error: ${err.message}` }));
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', resolve));
  baseUrl = (opts.publicUrl ?? `http://127.0.0.1:${(server.address() as AddressInfo).port}`).replace(
    /\/+$/,
    '',
  );
  const closeServer = async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  };

  const writer = opts.persistPath
    ? new StateFileWriter(opts.persistPath, () => state.serialise())
    : undefined;
  const unsubscribe = writer ? state.onChange(() => writer.save()) : undefined;
  writer?.save();

  let registry: EmulatorRegistry | undefined;
  try {
    registry =
      typeof opts.registry === 'object'
        ? externalRegistry(opts.registry)
        : await startRegistryFor(opts.registry ?? 'none', {
            host: opts.registryHost ?? '127.0.0.1',
            port: opts.registryPort,
            storageDir: opts.storageDir,
            auth: tokens.auth,
            onEvent: (event) => registryServices.sync.apply(event),
          });
  } catch (err) {
    await closeServer();
    await writer?.flush();
    throw err;
  }
  if (registry && opts.registryPublicHost)
    registry = {
      ...registry,
      local: { url: registry.url, host: registry.host },
      host: opts.registryPublicHost,
      url: `http://${opts.registryPublicHost}`,
    };

  let stopped: Promise<void> | undefined;
  return {
    url: baseUrl,
    state,
    spec,
    responsesChecked,
    responseViolations,
    faults,
    operationsServed,
    registryAuth: tokens.auth,
    registry,
    registryEvents: {
      url: `${baseUrl}${REGISTRY_EVENTS_PATH}`,
      header: EVENTS_SECRET_HEADER,
      secret: registryServices.eventsSecret,
    },
    sync: registryServices.sync,
    async settle() {
      await registryServices.sync.drain();
      await writer?.flush();
    },
    stop() {
      stopped ??= (async () => {
        await registry?.stop();
        await registryServices.sync.close();
        await closeServer();
        unsubscribe?.();
        writer?.save();
        await writer?.flush();
      })();
      return stopped;
    },
  };
}

/** Calls `done` with the whole body the handler wrote, when it ends the response (before it is sent on). */
function onEnd(res: ServerResponse, done: (body: string) => void): void {
  const chunks: Buffer[] = [];
  const keep = (chunk: unknown, encoding?: unknown) => {
    if (typeof chunk === 'string')
      chunks.push(Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8'));
    else if (chunk instanceof Uint8Array) chunks.push(Buffer.from(chunk));
  };
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.write = ((chunk: unknown, ...rest: unknown[]) => {
    keep(chunk, rest[0]);
    return write(chunk, ...rest);
  }) as typeof res.write;
  res.end = ((chunk?: unknown, ...rest: unknown[]) => {
    if (typeof chunk !== 'function') keep(chunk, rest[0]);
    done(Buffer.concat(chunks).toString('utf8'));
    return end(chunk, ...rest);
  }) as typeof res.end;
}

/** Paths whose requests carry something other than a Hub JWT in `Authorization`. */
function checksOwnAuth(path: string): boolean {
  return (
    path.startsWith('/v2/scim/') ||
    path.startsWith('/v1/exporter/') ||
    path === '/token' ||
    path.startsWith('/_emulator/')
  );
}
