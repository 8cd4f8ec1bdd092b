/**
 * Immutable tags of a repository (spec tag `repositories`): turn them on or off with the rules (regular
 * expressions) that select the tags, and ask which existing tags a rule matches. Docker Hub evaluates the
 * rules with Go's RE2, so rules are checked here before sending: they must compile, and may not use what
 * RE2 lacks (lookaround, backreferences).
 */
import type { APIPromise } from '../core/api-promise.js';
import { ValidationError } from '../core/errors.js';
import type { HubClient } from './client.js';
import { path } from './path.js';
import type { Repository } from './repositories.js';
import { repositorySchema } from './response-schemas.js';
import type { HubSchemas } from './spec-types.js';

/** The spec's `update_repository_immutable_tags_request`: both fields are required. */
export type ImmutableTagsSettings = HubSchemas['update_repository_immutable_tags_request'];

const RE2_UNSUPPORTED: Array<[RegExp, string]> = [
  [/\(\?<?[=!]/, 'lookaround'],
  [/\\[1-9]|\\k</, 'backreferences'],
];

/** Compiles a rule as RE2 would read it; throws a ValidationError naming the problem. */
export function assertImmutableTagRule(rule: string): void {
  if (!rule) throw new ValidationError('an immutable tag rule cannot be empty');
  for (const [pattern, what] of RE2_UNSUPPORTED)
    if (pattern.test(rule))
      throw new ValidationError(
        `rule "${rule}" uses ${what}, which Docker Hub's regular expressions (RE2) lack`,
      );
  // RE2 syntax that JavaScript spells differently: named groups (?P<n>…) and leading flags (?i).
  const js = rule.replace(/\(\?P</g, '(?<').replace(/^\(\?[imsU]+\)/, '');
  try {
    new RegExp(js, 'u');
  } catch (err) {
    throw new ValidationError(`rule "${rule}" is not a valid regular expression: ${(err as Error).message}`);
  }
}

export class ImmutableTags {
  constructor(private readonly hub: HubClient) {}

  /** Sets both fields (the API requires both). Repository admins only. */
  update(namespace: string, repository: string, settings: ImmutableTagsSettings): APIPromise<Repository> {
    if (typeof settings.immutable_tags !== 'boolean')
      throw new ValidationError('immutable_tags must be true or false');
    for (const rule of settings.immutable_tags_rules) assertImmutableTagRule(rule);
    return this.hub.call<Repository>({
      method: 'PATCH',
      path: path`/v2/namespaces/${namespace}/repositories/${repository}/immutabletags`,
      body: {
        immutable_tags: settings.immutable_tags,
        immutable_tags_rules: settings.immutable_tags_rules,
      },
      operation: 'docker.repo.immutable_tags.update',
      schema: repositorySchema,
      attributes: { namespace, repository },
    });
  }

  /** The existing tags of the repository that `regex` matches. */
  async verify(namespace: string, repository: string, regex: string): Promise<string[]> {
    assertImmutableTagRule(regex);
    const body = await this.hub.call<Partial<HubSchemas['immutable_tags_verify_response']>>({
      method: 'POST',
      path: path`/v2/namespaces/${namespace}/repositories/${repository}/immutabletags/verify`,
      body: { regex },
      operation: 'docker.repo.immutable_tags.verify',
      attributes: { namespace, repository },
    });
    return body?.tags ?? [];
  }
}
