/**
 * Static bearer-token mode (`MCP_AUTH_TOKEN`): the one token every client sends. It is compared in
 * constant time (hashes of equal length), so response timing reveals nothing about how much of a guess
 * was right.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { AuthInfo, OAuthTokenVerifier } from '@modelcontextprotocol/server';
import { OAuthError, OAuthErrorCode } from '@modelcontextprotocol/server';
import { REDACTED, type Secret } from '../../core/secret.js';

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

export function sameToken(given: string, expected: Secret): boolean {
  return timingSafeEqual(digest(given), digest(expected.reveal()));
}

/** A static token never expires by itself; each request is checked again, so a short horizon is right. */
const VALIDITY_SECONDS = 60;

export function staticTokenVerifier(expected: Secret): OAuthTokenVerifier {
  return {
    async verifyAccessToken(token: string): Promise<AuthInfo> {
      if (!sameToken(token, expected))
        throw new OAuthError(OAuthErrorCode.InvalidToken, 'The bearer token is not valid');
      return {
        token: REDACTED,
        clientId: 'mcp-auth-token',
        scopes: [],
        expiresAt: Math.floor(Date.now() / 1000) + VALIDITY_SECONDS,
      };
    },
  };
}
