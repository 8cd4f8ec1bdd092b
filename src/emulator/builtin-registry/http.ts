/** HTTP plumbing the registry's handlers share: replies, bodies, and the Range / Content-Range grammars. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ByteRange } from './content-store.js';
import { RegistryError } from './errors.js';

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const bytes = Buffer.from(JSON.stringify(body));
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(bytes.length),
    ...headers,
  });
  res.end(bytes);
}

export function sendEmpty(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-length': '0', ...headers });
  res.end();
}

export function sendError(res: ServerResponse, err: RegistryError): void {
  sendJson(res, err.status, err.body(), err.headers);
}

/** Whether the request carries a body (a non-zero length, or a chunked one). */
export function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  if (length !== undefined) return Number(length) > 0;
  return req.headers['transfer-encoding'] !== undefined;
}

export function declaredLength(req: IncomingMessage): number | undefined {
  const length = req.headers['content-length'];
  return length === undefined ? undefined : Number(length);
}

/** Reads a small body whole (a manifest); over `limit` bytes is a 413. */
export async function readSmallBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  if ((declaredLength(req) ?? 0) > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function tooLarge(limit: number): RegistryError {
  return new RegistryError(413, 'SIZE_INVALID', `manifest larger than ${limit} bytes`, { limit });
}

/** Drains an unused request body so the connection can be reused. */
export async function drain(req: IncomingMessage): Promise<void> {
  for await (const _ of req) {
    // discard
  }
}

/**
 * A `Range: bytes=…` request header against content of `size` bytes: the one range to serve, undefined to
 * serve everything (no header, several ranges, or one we do not understand, which RFC 9110 lets us ignore),
 * or 'unsatisfiable'.
 */
export function parseRangeHeader(
  header: string | undefined,
  size: number,
): ByteRange | 'unsatisfiable' | undefined {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '');
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (m[2] !== '' && Number(m[2]) < start) return undefined; // invalid: ignored
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}

/** An upload chunk's `Content-Range: <start>-<end>`; malformed is a 416. */
export function parseContentRange(header: string | undefined): ByteRange | undefined {
  if (header === undefined) return undefined;
  const m = /^(?:bytes[ =])?(\d+)-(\d+)(?:\/(?:\d+|\*))?$/.exec(header.trim());
  if (!m) throw new RegistryError(416, 'RANGE_INVALID', 'invalid content range', { contentRange: header });
  return { start: Number(m[1]), end: Number(m[2]) };
}
