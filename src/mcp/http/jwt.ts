/**
 * OAuth 2.1 resource-server mode: bearer tokens are JWTs signed by the authorization server, verified
 * against its published keys (JWKS, fetched and cached by jose) with the issuer, the audience and the
 * expiry checked. Only asymmetric algorithms are accepted, so a token can never be signed with a key
 * an attacker could guess or with `none`.
 */
import type { AuthInfo, OAuthTokenVerifier } from '@modelcontextprotocol/server';
import { OAuthError, OAuthErrorCode } from '@modelcontextprotocol/server';
import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify } from 'jose';
import { REDACTED } from '../../core/secret.js';
import type { OAuthConfig } from './settings.js';

const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
/** Clocks drift; a minute either way is the usual allowance for `exp` and `nbf`. */
const CLOCK_TOLERANCE_SECONDS = 60;

/** Why a token is refused, in words a client's user can act on (never the token or its claims). */
function refusal(err: unknown): OAuthError {
  const invalid = (message: string) => new OAuthError(OAuthErrorCode.InvalidToken, message);
  if (err instanceof errors.JWTExpired) return invalid('The token has expired');
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === 'iss') return invalid('The token was not issued by the expected authorization server');
    if (err.claim === 'aud') return invalid('The token was not issued for this server (audience)');
    return invalid(`The token's "${err.claim}" claim is not valid`);
  }
  if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys)
    return invalid("The token is not signed with one of the authorization server's keys");
  if (err instanceof errors.JWSSignatureVerificationFailed)
    return invalid("The token's signature is not valid");
  if (
    err instanceof errors.JWSInvalid ||
    err instanceof errors.JWTInvalid ||
    err instanceof errors.JOSEAlgNotAllowed ||
    err instanceof errors.JOSENotSupported
  )
    return invalid('The token is not a valid signed JWT');
  // The keys could not be fetched (network, timeout, a malformed JWKS): our fault, not the client's.
  return new OAuthError(OAuthErrorCode.ServerError, "The authorization server's keys could not be fetched");
}

function scopesOf(payload: JWTPayload): string[] {
  const raw = payload.scope ?? payload.scp;
  if (typeof raw === 'string') return raw.split(' ').filter(Boolean);
  if (Array.isArray(raw)) return raw.filter((s): s is string => typeof s === 'string');
  return [];
}

function clientOf(payload: JWTPayload): string {
  for (const claim of ['client_id', 'azp', 'sub'] as const) {
    const v = payload[claim];
    if (typeof v === 'string' && v) return v;
  }
  return 'unknown';
}

/** `onServerError` hears why keys could not be fetched (for the operator's log; the client gets a 500). */
export function jwtVerifier(oauth: OAuthConfig, onServerError?: (err: unknown) => void): OAuthTokenVerifier {
  const keys = createRemoteJWKSet(new URL(oauth.jwksUrl));
  return {
    async verifyAccessToken(token: string): Promise<AuthInfo> {
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, keys, {
          issuer: oauth.issuer,
          audience: oauth.audience,
          algorithms: ALGORITHMS,
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          requiredClaims: ['exp'],
        }));
      } catch (err) {
        const refused = refusal(err);
        if (refused.code === OAuthErrorCode.ServerError) onServerError?.(err);
        throw refused;
      }
      return {
        // The raw token goes no further than this check.
        token: REDACTED,
        clientId: clientOf(payload),
        scopes: scopesOf(payload),
        expiresAt: payload.exp,
        extra: { subject: payload.sub },
      };
    },
  };
}
