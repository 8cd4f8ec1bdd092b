/**
 * A loopback Docker token server (distribution token spec: token.md, jwt.md, scope.md, a small oauth.md)
 * for a real registry started with `auth: token`. It signs ES256 JWTs whose `x5c` header carries a
 * self-signed certificate; that certificate is written to `certBundlePath` for the registry to trust.
 *
 * Policy: users from `users` (HTTP Basic or OAuth2 password grant) get every action they ask for; everyone
 * else (anonymous) gets the intersection with `anonymousActions`. Every token request is recorded.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { createSigningKey } from './signing-key.js';

export interface TokenRequestRecord {
  /** Requested scopes, one entry per resource scope (space-separated lists are split). */
  scope: string[];
  /** The `account` query parameter, else the user name that authenticated. */
  account?: string;
  authenticated: boolean;
}

export interface TokenServer {
  /** `http://127.0.0.1:PORT/token` */
  realm: string;
  service: string;
  issuer: string;
  /** PEM certificate the registry must trust (`auth.token.rootcertbundle`). */
  certBundlePath: string;
  /** Every token request, GET and POST, in order; cleared (in place) by reset(). */
  requests: TokenRequestRecord[];
  reset(): void;
  stop(): Promise<void>;
}

export interface TokenServerOptions {
  /** username -> password */
  users?: Record<string, string>;
  /** Actions granted without credentials; default ['pull']. */
  anonymousActions?: string[];
  /** Token lifetime in seconds; default 300. */
  expiresIn?: number;
  /** The registry's service name (JWT `aud`); default 'test-registry'. */
  service?: string;
}

interface Access {
  type: string;
  name: string;
  actions: string[];
}

/** `type[(class)]:name:actions`; the name may itself hold a `:port`, so split on the first and last colon. */
function parseScope(scope: string): Access | undefined {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first <= 0 || last === first) return undefined;
  const type = scope.slice(0, first).replace(/\(.*\)$/, ''); // resource class is deprecated and ignored
  const actions = scope
    .slice(last + 1)
    .split(',')
    .filter(Boolean);
  return { type, name: scope.slice(first + 1, last), actions };
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** A request record without an `account` key when there is none, so strict equality works too. */
function record(scope: string[], account: string | undefined, authenticated: boolean): TokenRequestRecord {
  return account ? { scope, account, authenticated } : { scope, authenticated };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startTokenServer(opts: TokenServerOptions = {}): Promise<TokenServer> {
  const users = opts.users ?? {};
  const anonymousActions = opts.anonymousActions ?? ['pull'];
  const expiresIn = opts.expiresIn ?? 300;
  const service = opts.service ?? 'test-registry';
  const issuer = 'test-token-issuer';
  const key = await createSigningKey(issuer);
  const dir = await mkdtemp(join(tmpdir(), 'dh-token-'));
  const certBundlePath = join(dir, 'root.pem');
  await writeFile(certBundlePath, key.certPem);
  const requests: TokenRequestRecord[] = [];
  const refreshTokens = new Map<string, string>(); // refresh token -> subject

  async function issue(subject: string, scopes: string[]) {
    const authenticated = subject !== '';
    const access = scopes
      .map(parseScope)
      .filter((a): a is Access => a !== undefined)
      .map((a) => ({
        ...a,
        actions: authenticated ? a.actions : a.actions.filter((x) => anonymousActions.includes(x)),
      }))
      .filter((a) => a.actions.length > 0);
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ access })
      .setProtectedHeader({ alg: 'ES256', typ: 'JWT', x5c: [key.x5c] })
      .setIssuer(issuer)
      .setSubject(subject)
      .setAudience(service) // a string: distribution 2.8 does not accept an audience list
      .setIssuedAt(now)
      .setNotBefore(now - 5)
      .setExpirationTime(now + expiresIn)
      .setJti(randomBytes(16).toString('hex'))
      .sign(key.privateKey);
    const granted = access.flatMap((a) => a.actions.map((x) => `${a.type}:${a.name}:${x}`)).join(' ');
    return { token, granted, issuedAt: new Date(now * 1000).toISOString() };
  }

  function newRefreshToken(subject: string): string {
    const t = randomBytes(24).toString('base64url');
    refreshTokens.set(t, subject);
    return t;
  }

  /** GET /token: the classic flow, optional HTTP Basic credentials. */
  async function handleGet(url: URL, req: IncomingMessage, res: ServerResponse) {
    const scope = url.searchParams.getAll('scope').flatMap((s) => s.split(' ').filter(Boolean));
    const account = url.searchParams.get('account') ?? undefined;
    const [kind, encoded] = (req.headers.authorization ?? '').split(' ');
    let subject = '';
    if (kind?.toLowerCase() === 'basic' && encoded) {
      const decoded = Buffer.from(encoded, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      const user = decoded.slice(0, colon);
      if (colon < 0 || !Object.hasOwn(users, user) || users[user] !== decoded.slice(colon + 1)) {
        requests.push(record(scope, account ?? user, false));
        return sendJson(
          res,
          401,
          {
            errors: [
              { code: 'UNAUTHORIZED', message: 'authentication failed: invalid username or password' },
            ],
          },
          { 'www-authenticate': `Basic realm="${service}"` },
        );
      }
      subject = user;
    }
    requests.push(record(scope, account ?? subject, subject !== ''));
    const { token, issuedAt } = await issue(subject, scope);
    const wantsRefresh = url.searchParams.get('offline_token') === 'true' && subject !== '';
    sendJson(res, 200, {
      token,
      access_token: token,
      expires_in: expiresIn,
      issued_at: issuedAt,
      ...(wantsRefresh ? { refresh_token: newRefreshToken(subject) } : {}),
    });
  }

  /** POST /token: OAuth2 form, grant_type password or refresh_token; `scope` is one space-separated list. */
  async function handlePost(req: IncomingMessage, res: ServerResponse) {
    const form = new URLSearchParams(await readBody(req));
    const scope = (form.get('scope') ?? '').split(' ').filter(Boolean);
    const grant = form.get('grant_type');
    let subject: string | undefined;
    let refresh: string | undefined;
    if (grant === 'password') {
      const user = form.get('username') ?? '';
      if (Object.hasOwn(users, user) && users[user] === form.get('password')) subject = user;
      if (subject && form.get('access_type') === 'offline') refresh = newRefreshToken(subject);
      requests.push(record(scope, user, subject !== undefined));
    } else if (grant === 'refresh_token') {
      refresh = form.get('refresh_token') ?? '';
      subject = refreshTokens.get(refresh);
      requests.push(record(scope, subject, subject !== undefined));
    } else {
      return sendJson(res, 400, { error: 'unsupported_grant_type' });
    }
    if (subject === undefined) {
      return sendJson(res, 401, {
        error: 'invalid_grant',
        error_description: 'invalid credentials or refresh token',
      });
    }
    const { token, granted, issuedAt } = await issue(subject, scope);
    sendJson(res, 200, {
      access_token: token,
      scope: granted,
      expires_in: expiresIn,
      issued_at: issuedAt,
      ...(refresh ? { refresh_token: refresh } : {}),
    });
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const requested = url.searchParams.get('service');
    let work: Promise<void> | void;
    if (url.pathname !== '/token') work = sendJson(res, 404, { error: 'not_found' });
    else if (requested && requested !== service)
      work = sendJson(res, 400, { error: `unknown service ${requested}` });
    else if (req.method === 'GET') work = handleGet(url, req, res);
    else if (req.method === 'POST') work = handlePost(req, res);
    else work = sendJson(res, 405, { error: 'method_not_allowed' });
    Promise.resolve(work).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: String(err) });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  let stopped: Promise<void> | undefined;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    service,
    issuer,
    certBundlePath,
    requests,
    reset: () => {
      requests.length = 0;
    },
    stop: () => {
      stopped ??= (async () => {
        server.closeAllConnections(); // keep-alive sockets would hold close() open
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await rm(dir, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}
