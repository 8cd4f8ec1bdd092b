/**
 * The answers the HTTP layer writes itself (the SDK's handler writes the MCP ones): small JSON bodies, a
 * JSON-RPC error shape for refusals on the MCP endpoint (so MCP clients show the message), and the
 * copy of a web-standard Response (the SDK's auth challenges) onto a Node response.
 */
import type { ServerResponse } from 'node:http';

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

/** A refusal on the MCP endpoint, as the SDK's own guards shape theirs: one line in `error.message`. */
export function sendJsonRpcError(
  res: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  const code = status === 400 ? -32600 : -32000;
  sendJson(res, status, { jsonrpc: '2.0', error: { code, message }, id: null }, headers);
}

export function sendText(res: ServerResponse, status: number, text: string, contentType: string): void {
  if (res.headersSent) return;
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': String(Buffer.byteLength(text)),
    'cache-control': 'no-store',
  });
  res.end(text);
}

export async function sendWebResponse(res: ServerResponse, response: Response): Promise<void> {
  if (res.headersSent) return;
  const body = Buffer.from(await response.arrayBuffer());
  const headers: Record<string, string> = {};
  for (const [name, value] of response.headers) headers[name] = value;
  headers['content-length'] = String(body.length);
  res.writeHead(response.status, headers);
  res.end(body);
}
