/** Binds a node:http server, turning the system's refusal (port taken, no such address) into one line. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConnectionError } from '../../core/errors.js';

function why(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'EADDRINUSE':
      return 'the port is already in use (choose another with --port, or 0 for any free port)';
    case 'EACCES':
      return 'permission denied (ports below 1024 need privileges)';
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'no such address on this machine';
    default:
      return err.message;
  }
}

export async function listen(server: Server, host: string, port: number): Promise<AddressInfo> {
  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) =>
      reject(new ConnectionError(`cannot listen on ${host}:${port}: ${why(err)}`, {}, { cause: err }));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.removeListener('error', onError);
      resolve();
    });
  });
  return server.address() as AddressInfo;
}
