/**
 * Organization settings (spec tag `org-settings`). Writing them is gated like a delete: it changes what
 * every member of the organization may pull.
 */
import type { APIPromise } from '../core/api-promise.js';
import { ValidationError } from '../core/errors.js';
import type { HubClient } from './client.js';
import { assertName } from './org-roles.js';
import { path } from './path.js';
import { orgSettingsSchema } from './response-schemas.js';
import type { HubSchemas, Lenient } from './spec-types.js';

/** The spec's `restricted_images`, every flag given (the PUT replaces the object whole). */
export type RestrictedImages = Required<HubSchemas['restricted_images']>;

/** The spec's `orgSettings`. */
export type OrgSettings = Lenient<HubSchemas['orgSettings']>;

export interface OrgSettingsChanges {
  /** Fields left out keep their current value (read first with a GET). */
  restricted_images: Partial<RestrictedImages>;
}

const FIELDS = ['enabled', 'allow_official_images', 'allow_verified_publishers'] as const;

export class OrgSettingsApi {
  constructor(private readonly hub: HubClient) {}

  get(org: string): APIPromise<OrgSettings> {
    assertName('organization', org);
    return this.hub.call<OrgSettings>({
      method: 'GET',
      path: path`/v2/orgs/${org}/settings`,
      operation: 'docker.org.settings.get',
      schema: orgSettingsSchema,
      attributes: { org },
    });
  }

  /**
   * Destructive (org-settings write). The API replaces `restricted_images` whole, so a partial change is
   * merged into the current settings first.
   */
  async update(org: string, changes: OrgSettingsChanges): Promise<OrgSettings> {
    this.hub.assertDestructiveAllowed(`changing the settings of organization ${org}`);
    assertName('organization', org);
    const given = changes.restricted_images ?? {};
    const unknown = Object.keys(given).filter((k) => !FIELDS.includes(k as (typeof FIELDS)[number]));
    if (unknown.length) throw new ValidationError(`unknown restricted_images field "${unknown[0]}"`);
    const set = FIELDS.filter((k) => given[k] !== undefined);
    if (set.length === 0) throw new ValidationError('nothing to change: give at least one setting');
    for (const k of set)
      if (typeof given[k] !== 'boolean')
        throw new ValidationError(`restricted_images.${k} must be true or false`);
    let restricted = given as RestrictedImages;
    if (set.length < FIELDS.length) {
      const current = (await this.get(org)).restricted_images;
      restricted = {
        enabled: given.enabled ?? current?.enabled ?? false,
        allow_official_images: given.allow_official_images ?? current?.allow_official_images ?? true,
        allow_verified_publishers:
          given.allow_verified_publishers ?? current?.allow_verified_publishers ?? true,
      };
    }
    return this.hub.call<OrgSettings>({
      method: 'PUT',
      path: path`/v2/orgs/${org}/settings`,
      body: { restricted_images: restricted },
      operation: 'docker.org.settings.update',
      schema: orgSettingsSchema,
      attributes: { org },
    });
  }
}
