/**
 * Stoplight Prism mocking Docker's Hub spec (`prism mock --errors specs/hub-api.json`) on 127.0.0.1: an
 * independent check that our SDK's requests match Docker's contract, not just our own emulator. With
 * `--errors`, a request that violates the spec (path, query, body, missing bearer) gets a 4xx, which the
 * SDK throws. Prism needs Node >= 24.18: the tests run on the Node 24 installed as a dev dependency.
 *
 * The copy of the spec carries no examples, so Prism builds its answers from the response schemas. A
 * schema cannot say that a token is a JWT, and the SDK reads a token's expiry: Prism is given the copy
 * with one test-owned example, an unsigned JWT, on each token field, and nothing else added.
 *
 * Prism also validates its own answers, and a few schemas refuse what Prism makes of them: it answers those with a 500 whose
 * violations all sit in the response. Those are spec defects, not ours, so a small proxy in front of Prism
 * turns them into a 200 with an empty JSON body and keeps a list of them; request-side violations pass through
 * untouched (and are listed too), so a request Docker's contract refuses still fails the test. The proxy
 * also names each request's documented operation, recording those Prism accepted and those it refused.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadSpecValidator, type SpecValidator } from '../../src/emulator/spec.js';
import { defaultSpecPath } from '../../src/emulator/spec-files.js';
import { freePort } from './free-port.js';

export interface Violation {
  request: string;
  location: string;
  message: string;
}

export interface RunningPrism {
  /** The proxy in front of Prism: point the SDK here. */
  url: string;
  /** Violations of the request side (our fault): expected to stay empty. */
  requestViolations: Violation[];
  /** Response-side violations in Docker's own examples (spec defects), for the record. */
  responseViolations: Violation[];
  /** Documented operations (named as `SpecValidator.operationNames`) of the requests Prism accepted. */
  operationsAccepted: Set<string>;
  /** Requests of documented operations that Prism refused (4xx/5xx): their operation, line and status. */
  refusals: Array<{ operation: string; request: string; status: number }>;
  /** Everything Prism logged (its validation messages name the violation). */
  log(): string;
  stop(): Promise<void>;
}

/** Any JWT-shaped value will do: the SDK decodes `exp` and never checks a signature it cannot know. */
const encode = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
export const PRISM_JWT = `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ sub: 'prism', exp: 4102444800 })}.`;

/** The token fields of the login answers, as `components.schemas` name them. */
const TOKEN_FIELDS: Array<[schema: string, field: string]> = [
  ['AuthCreateTokenResponse', 'access_token'],
  ['PostUsersLoginSuccessResponse', 'token'],
];

/** The package's copy of the spec, with the JWT example on each token field, in a temp dir. */
async function specForPrism(dir: string): Promise<string> {
  const document = JSON.parse(await readFile(defaultSpecPath(), 'utf8'));
  for (const [schema, field] of TOKEN_FIELDS) {
    const property = document.components.schemas[schema]?.properties?.[field];
    if (!property) throw new Error(`the spec has no ${schema}.${field} any more: update TOKEN_FIELDS`);
    property.example = PRISM_JWT;
  }
  const path = join(dir, 'hub-api.json');
  await writeFile(path, JSON.stringify(document));
  return path;
}

export async function startPrism(): Promise<RunningPrism> {
  const work = await mkdtemp(join(tmpdir(), 'dh-prism-'));
  const spec = await specForPrism(work);
  const require = createRequire(import.meta.url);
  const pkg = require.resolve('@stoplight/prism-cli/package.json');
  const bin = join(dirname(pkg), 'dist', 'index.js');
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [bin, 'mock', '--errors', '-h', '127.0.0.1', '-p', String(port), spec],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const onData = (d: Buffer) => {
    output += d.toString();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Prism did not start in 60 s:\n${output}`)), 60_000);
    const check = () => {
      if (/Prism is listening/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', check);
    child.stderr?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Prism exited with ${code}:\n${output}`));
    });
  });
  const requestViolations: Violation[] = [];
  const responseViolations: Violation[] = [];
  const operationsAccepted = new Set<string>();
  const refusals: RunningPrism['refusals'] = [];
  // Names each request's operation as the emulator does (its spec repairs do not change which one matches).
  const validator = await loadSpecValidator(spec);
  const proxy = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(([k]) => !['host', 'connection', 'content-length'].includes(k)),
    ) as Record<string, string>;
    const upstream = await fetch(`http://127.0.0.1:${port}${req.url}`, {
      method: req.method,
      headers,
      body: chunks.length ? Buffer.concat(chunks) : undefined,
    });
    const text = await upstream.text();
    const line = `${req.method} ${req.url}`;
    const operation = operationOf(validator, req.method ?? 'GET', req.url ?? '/', headers, chunks);
    let problems: Array<{ location?: string[]; message?: string }> = [];
    if (upstream.status >= 400) {
      // The body has them, except for HEAD, where Prism sends them in the sl-violations header.
      try {
        problems = text
          ? ((JSON.parse(text) as { validation?: typeof problems }).validation ?? [])
          : (JSON.parse(upstream.headers.get('sl-violations') ?? '[]') as typeof problems);
      } catch {
        problems = [];
      }
    }
    const list = problems.map((v) => ({
      request: line,
      location: (v.location ?? []).join('.'),
      message: v.message ?? '',
    }));
    if (upstream.status === 500 && list.length && list.every((v) => v.location.startsWith('response'))) {
      responseViolations.push(...list);
      if (operation) operationsAccepted.add(operation);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(req.method === 'HEAD' ? undefined : '{}');
      return;
    }
    requestViolations.push(...list.filter((v) => v.location.startsWith('request')));
    if (operation && upstream.status < 400) operationsAccepted.add(operation);
    else if (operation) refusals.push({ operation, request: line, status: upstream.status });
    const out: Record<string, string> = {};
    upstream.headers.forEach((v, k) => {
      if (!['content-length', 'transfer-encoding', 'connection', 'keep-alive'].includes(k)) out[k] = v;
    });
    res.writeHead(upstream.status, out);
    res.end(req.method === 'HEAD' ? undefined : text);
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    requestViolations,
    responseViolations,
    operationsAccepted,
    refusals,
    log: () => output,
    async stop() {
      proxy.closeAllConnections();
      await new Promise((r) => proxy.close(r));
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(work, { recursive: true, force: true });
    },
  };
}

function operationOf(
  validator: SpecValidator,
  method: string,
  url: string,
  headers: Record<string, string>,
  chunks: Buffer[],
): string | undefined {
  const { pathname, searchParams } = new URL(url, 'http://prism.invalid');
  let body: unknown;
  try {
    body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
  } catch {
    body = undefined;
  }
  return validator.check({ method, path: pathname, query: Object.fromEntries(searchParams), headers, body })
    .operation;
}
