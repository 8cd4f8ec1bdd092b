/**
 * Who may use the server over HTTP: one gate for the MCP endpoint and /metrics. A static bearer token,
 * OAuth JWTs, or (only with --allow-unauthenticated) anyone. Refusals are the SDK's: 401 with a
 * `WWW-Authenticate: Bearer` challenge (naming the protected-resource metadata in OAuth mode), 403 for a
 * token lacking a required scope.
 */
import type { IncomingMessage } from 'node:http';
import {
  type AuthInfo,
  bearerAuthChallengeResponse,
  type VerifyBearerTokenOptions,
  verifyBearerToken,
} from '@modelcontextprotocol/server';
import { jwtVerifier } from './jwt.js';
import { type ProtectedResourceMetadata, protectedResourceMetadata } from './resource-metadata.js';
import type { HttpConfig } from './settings.js';
import { staticTokenVerifier } from './token.js';

export type AuthMode = 'token' | 'oauth' | 'none';

export interface Authenticator {
  mode: AuthMode;
  /** The caller's identity when the request may proceed, else the answer to send. */
  check(req: IncomingMessage): Promise<AuthInfo | Response | undefined>;
  /** OAuth mode: the RFC 9728 document and where it is served. */
  metadata?: ProtectedResourceMetadata;
}

export function createAuthenticator(
  http: HttpConfig,
  resource: URL,
  onServerError: (err: unknown) => void,
): Authenticator {
  let options: VerifyBearerTokenOptions;
  let metadata: ProtectedResourceMetadata | undefined;
  if (http.oauth) {
    metadata = protectedResourceMetadata(http.oauth, resource);
    options = {
      verifier: jwtVerifier(http.oauth, onServerError),
      requiredScopes: http.oauth.requiredScopes,
      resourceMetadataUrl: metadata.url,
    };
  } else if (http.authToken) {
    options = { verifier: staticTokenVerifier(http.authToken) };
  } else {
    return { mode: 'none', check: async () => undefined };
  }
  return {
    mode: http.oauth ? 'oauth' : 'token',
    metadata,
    async check(req) {
      const header = req.headers.authorization;
      try {
        return await verifyBearerToken(header, options);
      } catch (err) {
        return bearerAuthChallengeResponse(err, options);
      }
    },
  };
}
