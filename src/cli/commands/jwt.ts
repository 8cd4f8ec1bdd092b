/**
 * `dockerhub jwt`: prints a Docker Hub JWT for the configured credentials, for scripts that call the Hub
 * API themselves (as `gh auth token`). Minted with `POST /v2/auth/token`, or with `--legacy` the deprecated
 * `POST /v2/users/login` and, for an account with two-factor authentication, `POST /v2/users/2fa-login`.
 * The JWT is the one secret this command prints; the password and the intermediate 2FA token never are.
 */
import type { Credential } from '../../core/credentials.js';
import { AuthenticationError, ValidationError } from '../../core/errors.js';
import type { Secret } from '../../core/secret.js';
import { decodeJwt, type HubClient } from '../../hub/index.js';
import type { CommandResult } from './registry-read.js';

export interface JwtOptions {
  legacy?: boolean;
  otp?: string;
}

export interface JwtOutput {
  token: string;
  /** From the token's own `exp` claim; null when it has none (or is not a JWT, e.g. a DOCKERHUB_JWT). */
  expires_at: string | null;
}

/** The spec types `code` as a plain string; a TOTP (RFC 6238) code is 6 to 8 digits. */
const OTP_CODE = /^\d{6,8}$/;

/** Input checks, before credentials are read or any request is made. */
function checkOptions(opts: JwtOptions): void {
  if (opts.otp === undefined) return;
  if (!opts.legacy)
    throw new ValidationError(
      '--otp completes the two-factor step of --legacy; add --legacy (or use a personal access token, which needs no code)',
    );
  if (!OTP_CODE.test(opts.otp))
    throw new ValidationError('--otp takes the 6 to 8 digit code from your authenticator app');
}

export async function jwtCommand(hub: HubClient, opts: JwtOptions): Promise<CommandResult<JwtOutput>> {
  checkOptions(opts);
  const credential = await hub.credentials.forHub();
  if (credential.kind === 'anonymous')
    throw new AuthenticationError(
      'no Docker Hub credentials: set DOCKER_HUB_USER and DOCKER_HUB_TOKEN, or run dockerhub login',
    );
  const token = opts.legacy
    ? (await legacyToken(hub, credential, opts.otp)).reveal()
    : await hub.auth.token();
  if (!token) throw new AuthenticationError('Docker Hub gave no token');
  const data: JwtOutput = { token, expires_at: expiresAt(token) };
  return { data, text: () => `${token}\n` };
}

async function legacyToken(hub: HubClient, credential: Credential, otp: string | undefined): Promise<Secret> {
  if (credential.kind !== 'basic')
    throw new ValidationError(
      `--legacy logs in with a username and a password or personal access token; the credentials (from ${credential.source}) are a token`,
    );
  const first = await hub.legacyAuth.login({ username: credential.username, password: credential.secret });
  if (first.status === 'authenticated') return first.token;
  if (otp === undefined)
    throw new AuthenticationError(
      `the Docker Hub account ${credential.username} has two-factor authentication: run again with --otp CODE`,
    );
  return (await hub.legacyAuth.login2fa({ login_2fa_token: first.login_2fa_token, code: otp })).token;
}

function expiresAt(token: string): string | null {
  try {
    const { exp } = decodeJwt(token);
    return typeof exp === 'number' ? new Date(exp * 1000).toISOString() : null;
  } catch {
    return null;
  }
}
