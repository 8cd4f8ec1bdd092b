/**
 * DNS-rebinding and cross-site protection: the Host header must name this server and a browser's Origin
 * must be one of the allowed pages, else 403 before anything else happens. The checks are the SDK's
 * (hostnames, port-agnostic); `*` in the Host list turns that check off for deployments behind a proxy
 * that already routes by name.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { hostHeaderValidation, originValidation } from '@modelcontextprotocol/node';

export type Guard = (req: IncomingMessage, res: ServerResponse) => boolean;

export function hostAndOriginGuard(
  allowedHosts: readonly string[],
  allowedOrigins: readonly string[],
): Guard {
  const host: Guard = allowedHosts.includes('*') ? () => true : hostHeaderValidation([...allowedHosts]);
  const origin: Guard = originValidation([...allowedOrigins]);
  return (req, res) => host(req, res) && origin(req, res);
}
