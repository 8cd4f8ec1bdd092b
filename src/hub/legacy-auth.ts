/**
 * The older username/password login (spec tag `authentication-api`): `POST /v2/users/login` (deprecated by
 * Docker in favour of `POST /v2/auth/token`) and its second step for accounts with two-factor
 * authentication, `POST /v2/users/2fa-login`. These are explicit calls: `HubAuth` keeps minting with
 * `/v2/auth/token` and never uses them. Tokens and the intermediate 2FA token come back as `Secret`.
 */
import { AuthenticationError, ValidationError } from '../core/errors.js';
import { Secret } from '../core/secret.js';
import { instrument } from '../core/telemetry.js';
import type { HttpResponse } from '../core/transport.js';
import type { HubClient } from './client.js';
import type { HubSchemas } from './spec-types.js';

/** The spec's `UsersLoginRequest`, the password possibly a `Secret`. */
export interface LegacyLoginParams extends Omit<HubSchemas['UsersLoginRequest'], 'password'> {
  /** A password, or a personal access token. */
  password: string | Secret;
}

/** The spec's `Users2FALoginRequest`, the intermediate token possibly a `Secret`. */
export interface Login2faParams extends Omit<HubSchemas['Users2FALoginRequest'], 'login_2fa_token'> {
  /** The intermediate token `login()` returned for a 2FA account. */
  login_2fa_token: string | Secret;
  /** The current one-time code from the account's authenticator. */
  code: string;
}

/** What `login()` gives: a Hub JWT, or, for an account with 2FA on, the token for the second step. */
export type LegacyLoginResult =
  | { status: 'authenticated'; token: Secret }
  | { status: '2fa_required'; login_2fa_token: Secret; detail?: string };

/** The spec's success (`token`) and 401 (`detail`, `login_2fa_token`) bodies, read as one. */
type LoginBody = HubSchemas['PostUsersLoginSuccessResponse'] &
  Partial<HubSchemas['PostUsersLoginErrorResponse']>;

export class LegacyAuth {
  constructor(private readonly hub: HubClient) {}

  /**
   * Logs in with a username and a password or PAT.
   * @deprecated Docker deprecates `POST /v2/users/login`: use `POST /v2/auth/token` (what `HubClient`
   * does on its own from its credentials). Kept for accounts and tools that still rely on it, and for
   * the two-factor flow, which only this route starts.
   */
  async login(params: LegacyLoginParams, signal?: AbortSignal): Promise<LegacyLoginResult> {
    const password = Secret.from(params.password);
    if (!params.username) throw new ValidationError('login: give a username');
    if (!password.reveal()) throw new ValidationError('login: give a password or personal access token');
    return instrument('docker.auth.legacy_login', {}, async () => {
      const res = await this.#post(
        '/v2/users/login',
        { username: params.username, password: password.reveal() },
        signal,
      );
      if (res.status === 401) {
        const body = await readJson(res);
        if (body.login_2fa_token) {
          return {
            status: '2fa_required',
            login_2fa_token: new Secret(body.login_2fa_token),
            detail: body.detail,
          };
        }
        throw refused(`Docker Hub refused the credentials of ${params.username}`, res);
      }
      return { status: 'authenticated', token: await tokenOf(this.hub, res) };
    });
  }

  /** The second step for an account with two-factor authentication: the intermediate token and a code. */
  async login2fa(params: Login2faParams, signal?: AbortSignal): Promise<{ token: Secret }> {
    const intermediate = Secret.from(params.login_2fa_token);
    if (!intermediate.reveal()) throw new ValidationError('2FA login: give the login_2fa_token from login()');
    if (!params.code?.trim()) throw new ValidationError('2FA login: give the one-time code');
    return instrument('docker.auth.login_2fa', {}, async () => {
      const res = await this.#post(
        '/v2/users/2fa-login',
        { login_2fa_token: intermediate.reveal(), code: params.code.trim() },
        signal,
      );
      if (res.status === 401) {
        await res.body.dump();
        throw refused('Docker Hub refused the two-factor code', res);
      }
      return { token: await tokenOf(this.hub, res) };
    });
  }

  /** No bearer: these routes are how one is obtained (`security: []` in the spec). */
  #post(path: string, body: unknown, signal?: AbortSignal): Promise<HttpResponse> {
    return this.hub.transport.send({
      method: 'POST',
      url: `${this.hub.baseUrl}${path}`,
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
      idempotent: true,
      signal,
    });
  }
}

async function readJson(res: HttpResponse): Promise<LoginBody> {
  const text = await res.body.text();
  try {
    return (text ? JSON.parse(text) : {}) as LoginBody;
  } catch {
    return {};
  }
}

async function tokenOf(hub: HubClient, res: HttpResponse): Promise<Secret> {
  if (res.status >= 400) throw await hub.transport.toError(res);
  const body = await readJson(res);
  if (!body.token) throw new AuthenticationError('Docker Hub answered without a token');
  return new Secret(body.token);
}

function refused(message: string, res: HttpResponse): AuthenticationError {
  return new AuthenticationError(message, { status: 401, method: res.method, url: res.url });
}
