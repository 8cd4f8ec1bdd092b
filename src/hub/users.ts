/** The current user: `whoami` from the JWT (decoded locally), and the undocumented /v2/user/ endpoints. */
import type { APIPromise } from '../core/api-promise.js';
import { decodeJwt } from './auth.js';
import type { HubClient } from './client.js';

export interface WhoAmI {
  username?: string;
  email?: string;
  uuid?: string;
  subject?: string;
  expiresAt?: string;
  source: string;
}

export class Users {
  constructor(private readonly hub: HubClient) {}

  /** Who the credentials are, read from the JWT's claims (nested under `https://hub.docker.com`). */
  async whoami(): Promise<WhoAmI> {
    const credential = await this.hub.credentials.forHub();
    const token = await this.hub.auth.token();
    if (!token) return { source: 'anonymous' };
    const claims = decodeJwt(token);
    const hub = claims['https://hub.docker.com'] ?? {};
    return {
      username: hub.username,
      email: hub.email,
      uuid: hub.uuid,
      subject: claims.sub,
      expiresAt: claims.exp ? new Date(claims.exp * 1000).toISOString() : undefined,
      source: credential.source,
    };
  }

  /** Undocumented endpoint: GET /v2/user/ — the authenticated user's profile. */
  me(): APIPromise<Record<string, unknown>> {
    return this.hub.call({ method: 'GET', path: '/v2/user/', operation: 'docker.user.get' });
  }
}
