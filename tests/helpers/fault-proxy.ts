/**
 * A loopback proxy in front of a real registry that injects faults a real server will not produce on
 * demand (resets, 5xx bursts, wrong or short bytes). The Host header is passed through, so the registry
 * builds upload URLs that point back at the proxy.
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** Returns true when it answered the request itself; false lets the request through untouched. */
export type Fault = (req: IncomingMessage, res: ServerResponse, body: Buffer) => Promise<boolean> | boolean;

export interface FaultProxy {
  host: string;
  /** Requests seen, as "METHOD /path?query". */
  seen: string[];
  fault: Fault | undefined;
  /** Sends the request on to the registry and buffers the whole answer. */
  upstream(req: IncomingMessage, body: Buffer): Promise<UpstreamResponse>;
  /** Sends the request on and answers with the registry's response, `mutate`d when given. */
  forward(req: IncomingMessage, res: ServerResponse, body: Buffer, mutate?: (b: Buffer) => Buffer): void;
  stop(): Promise<void>;
}

export async function startFaultProxy(registryUrl: string): Promise<FaultProxy> {
  const send = (
    req: IncomingMessage,
    body: Buffer,
    onResponse: (res: IncomingMessage) => void,
    onError: () => void,
  ) => {
    const up = httpRequest(
      `${registryUrl}${req.url}`,
      { method: req.method, headers: req.headers },
      onResponse,
    );
    up.on('error', onError);
    up.end(body);
  };
  const proxy: FaultProxy = {
    host: '',
    seen: [],
    fault: undefined,
    upstream: (req, body) =>
      new Promise((resolve, reject) =>
        send(
          req,
          body,
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c) => chunks.push(c));
            res.on('end', () =>
              resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }),
            );
          },
          () => reject(new Error('upstream failed')),
        ),
      ),
    forward(req, res, body, mutate) {
      send(
        req,
        body,
        (upRes) => {
          if (!mutate) {
            res.writeHead(upRes.statusCode ?? 502, upRes.headers);
            upRes.pipe(res);
            return;
          }
          const chunks: Buffer[] = [];
          upRes.on('data', (c) => chunks.push(c));
          upRes.on('end', () => {
            const out = mutate(Buffer.concat(chunks));
            res.writeHead(upRes.statusCode ?? 502, {
              ...upRes.headers,
              'content-length': String(out.length),
            });
            res.end(out);
          });
        },
        () => res.destroy(),
      );
    },
    async stop() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    proxy.seen.push(`${req.method} ${req.url}`);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    if (proxy.fault && (await proxy.fault(req, res, body))) return;
    proxy.forward(req, res, body);
  };
  const server = createServer((req, res) => {
    // A client that gives up mid-request (a transfer stopped after another one failed) aborts the body.
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  proxy.host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}
