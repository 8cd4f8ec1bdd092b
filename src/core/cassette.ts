/**
 * Record and replay of HTTP interactions, for users' own tests: `DOCKERHUB_RECORD=cassette.json` writes
 * every interaction of a run (Hub, registry, Scout) with secrets scrubbed; `DOCKERHUB_REPLAY=cassette.json`
 * answers from it with no network at all. A request the cassette does not hold fails with
 * CassetteMissError naming it. Interactions are matched by method, URL and request-body hash, each used
 * once, in recorded order, so replays are deterministic even when requests run in parallel.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { CassetteMissError, ValidationError } from './errors.js';
import { redactHeaders, redactText, redactUrl, redactValue } from './redact.js';

export interface RecordedInteraction {
  request: { method: string; url: string; bodySha256?: string };
  response: { status: number; headers: Record<string, string>; body: string; encoding: 'utf8' | 'base64' };
}

export interface CassetteFile {
  version: 1;
  recordedAt: string;
  interactions: RecordedInteraction[];
}

/** A response body held in memory, with the same reading methods as undici's. */
export class BufferedBody extends Readable {
  readonly #buffer: Buffer;

  constructor(buffer: Buffer) {
    super();
    this.#buffer = buffer;
    this.push(buffer.length ? buffer : null);
    if (buffer.length) this.push(null);
  }

  override _read(): void {}

  async text(): Promise<string> {
    this.resume();
    return this.#buffer.toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    this.resume();
    return this.#buffer.buffer.slice(
      this.#buffer.byteOffset,
      this.#buffer.byteOffset + this.#buffer.length,
    ) as ArrayBuffer;
  }

  async dump(): Promise<void> {
    this.resume();
  }
}

/**
 * The URL as stored and matched: redacted, and without `account` (which token requests carry only when
 * credentials are present), so a cassette recorded with credentials replays without them.
 */
export function cassetteUrl(url: string): string {
  const u = new URL(url);
  u.searchParams.delete('account');
  return redactUrl(u.toString());
}

export function bodyHash(body: unknown): string | undefined {
  if (typeof body === 'string' || body instanceof Uint8Array)
    return createHash('sha256').update(body).digest('hex');
  return body === undefined || body === null ? undefined : 'stream';
}

function isText(contentType: string | undefined): boolean {
  return !contentType || /json|text|xml|x-www-form-urlencoded|graphql/i.test(contentType);
}

const JWT = /^eyJ[\w-]*\.[\w-]+\.[\w-]*$/;

/**
 * What a recorded JWT becomes: unsigned, no claims but an expiry far ahead, so that a replay can still
 * read a token's lifetime (the Hub client does) without the cassette holding the real one.
 */
export const REPLAY_JWT = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(
  '{"sub":"cassette","exp":4102444800}',
).toString('base64url')}.`;

/** Where the original held a JWT that redaction removed, puts REPLAY_JWT instead. */
function placeholderJwts(original: unknown, redacted: unknown): unknown {
  if (typeof original === 'string')
    return JWT.test(original) && redacted !== original ? REPLAY_JWT : redacted;
  if (Array.isArray(original) && Array.isArray(redacted))
    return redacted.map((v, i) => placeholderJwts(original[i], v));
  if (original && redacted && typeof original === 'object' && typeof redacted === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(redacted))
      out[k] = placeholderJwts((original as Record<string, unknown>)[k], v);
    return out;
  }
  return redacted;
}

/** Scrubs a response body before it is written: JSON structurally, text by pattern, binary untouched. */
function scrubBody(
  buffer: Buffer,
  contentType: string | undefined,
): { body: string; encoding: 'utf8' | 'base64' } {
  if (!isText(contentType)) return { body: buffer.toString('base64'), encoding: 'base64' };
  const text = buffer.toString('utf8');
  try {
    const parsed: unknown = JSON.parse(text);
    return { body: JSON.stringify(placeholderJwts(parsed, redactValue(parsed))), encoding: 'utf8' };
  } catch {
    return { body: redactText(text), encoding: 'utf8' };
  }
}

const recorders = new Map<string, CassetteRecorder>();
const players = new Map<string, CassettePlayer>();

export class CassetteRecorder {
  readonly path: string;
  readonly #interactions: RecordedInteraction[] = [];
  #dirty = false;

  private constructor(path: string) {
    this.path = path;
    // Written synchronously at exit so that a CLI run or a test process leaves a complete file.
    process.once('exit', () => {
      try {
        this.flush();
      } catch (err) {
        process.stderr.write(`dockerhub: could not write cassette ${this.path}: ${(err as Error).message}\n`);
      }
    });
  }

  /** One recorder per file, shared by every transport in the process. */
  static for(path: string): CassetteRecorder {
    let r = recorders.get(path);
    if (!r) {
      r = new CassetteRecorder(path);
      recorders.set(path, r);
    }
    return r;
  }

  record(
    req: { method: string; url: string; body?: unknown },
    res: { status: number; headers: Record<string, string>; body: Buffer },
  ): void {
    this.#dirty = true;
    this.#interactions.push({
      request: { method: req.method, url: cassetteUrl(req.url), bodySha256: bodyHash(req.body) },
      response: {
        status: res.status,
        headers: redactHeaders(res.headers),
        ...scrubBody(res.body, res.headers['content-type']),
      },
    });
  }

  /** Writes the cassette atomically (temp file, then rename), if anything was recorded since the last write. */
  flush(): void {
    if (!this.#dirty) return;
    const file: CassetteFile = {
      version: 1,
      recordedAt: new Date().toISOString(),
      interactions: this.#interactions,
    };
    const temp = `${this.path}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(temp, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
    renameSync(temp, this.path);
    this.#dirty = false;
  }
}

export class CassettePlayer {
  readonly path: string;
  readonly #remaining: RecordedInteraction[];

  private constructor(path: string) {
    this.path = path;
    let parsed: CassetteFile;
    try {
      parsed = JSON.parse(readFileSync(path, 'utf8')) as CassetteFile;
    } catch (err) {
      throw new ValidationError(`cannot read cassette ${path}: ${(err as Error).message}`);
    }
    if (parsed?.version !== 1 || !Array.isArray(parsed.interactions)) {
      throw new ValidationError(`${path} is not a dockerhub-api cassette (version 1)`);
    }
    this.#remaining = [...parsed.interactions];
  }

  static for(path: string): CassettePlayer {
    let p = players.get(path);
    if (!p) {
      p = new CassettePlayer(path);
      players.set(path, p);
    }
    return p;
  }

  /** Takes the first unused interaction matching the request; throws CassetteMissError when none does. */
  take(req: { method: string; url: string; body?: unknown }): {
    status: number;
    headers: Record<string, string>;
    body: BufferedBody;
  } {
    const url = cassetteUrl(req.url);
    const hash = bodyHash(req.body);
    const same = (i: RecordedInteraction) => i.request.method === req.method && i.request.url === url;
    let index = this.#remaining.findIndex((i) => same(i) && i.request.bodySha256 === hash);
    if (index < 0) index = this.#remaining.findIndex(same);
    const found = index < 0 ? undefined : this.#remaining.splice(index, 1)[0];
    if (!found) {
      throw new CassetteMissError(
        `no recorded interaction for ${req.method} ${url} in cassette ${this.path}`,
        {
          method: req.method,
          url,
        },
      );
    }
    const body = Buffer.from(found.response.body, found.response.encoding);
    return { status: found.response.status, headers: found.response.headers, body: new BufferedBody(body) };
  }
}

/** Cassette mode from options or the environment. Replay wins when both are set. */
export function cassetteMode(
  opts: { record?: string; replay?: string },
  env: NodeJS.ProcessEnv = process.env,
): { recorder?: CassetteRecorder; player?: CassettePlayer } {
  const replay = opts.replay ?? env.DOCKERHUB_REPLAY;
  if (replay) return { player: CassettePlayer.for(replay) };
  const record = opts.record ?? env.DOCKERHUB_RECORD;
  if (record) return { recorder: CassetteRecorder.for(record) };
  return {};
}
