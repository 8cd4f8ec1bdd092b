/** The current user: `whoami` from the JWT (decoded locally), and the undocumented /v2/user/ endpoints. */

import type { APIPromise } from '../core/api-promise.js';
import type { PagedList } from '../core/pagination.js';
import { decodeJwt } from './auth.js';
import type { HubClient } from './client.js';
import { assertPaging } from './validation.js';

export interface WhoAmI {
  username?: string;
  email?: string;
  uuid?: string;
  subject?: string;
  expiresAt?: string;
  source: string;
}

/** One organization of the current user, as `GET /v2/user/orgs/` lists it (undocumented endpoint). */
export interface UserOrg {
  id?: string;
  uuid?: string;
  orgname: string;
  full_name?: string;
  company?: string;
  location?: string;
  type?: string;
  profile_url?: string;
  date_joined?: string;
  gravatar_url?: string;
  badge?: string;
  is_active?: boolean;
  user_role?: string;
  user_groups?: string[];
  org_groups_count?: number;
  plan_name?: string | null;
  parent_name?: string | null;
  [key: string]: unknown;
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

  /**
   * Undocumented endpoint: GET /v2/user/orgs/ — the organizations the authenticated user belongs to
   * (their personal namespace is not among them). Hub pagination: `page`, `page_size`, `next`.
   */
  orgs(query: { page?: number; page_size?: number } = {}): PagedList<UserOrg> {
    assertPaging(query, 100);
    return this.hub.list<UserOrg>({
      method: 'GET',
      path: '/v2/user/orgs/',
      query,
      operation: 'docker.user.orgs',
    });
  }
}
