/**
 * A free TCP port on 127.0.0.1, found by letting the kernel pick one for a throwaway listener.
 * (Tests only ever bind loopback; the port is free when returned, so use it promptly.)
 */
import { createServer } from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close((err) => (err || !port ? reject(err ?? new Error('no port assigned')) : resolve(port)));
    });
  });
}
