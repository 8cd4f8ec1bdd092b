/**
 * One call of the SDK per documented operation of Docker's Hub spec, keyed by the operation's name as the
 * emulator's validator names it (`operationId`, or `METHOD /path` where the spec gives none). The same table
 * drives the emulator pass (tests/hub/operations-coverage.test.ts) and the Prism pass
 * (tests/prism/all-operations.prism.test.ts); both fail naming any documented operation it does not cover.
 *
 * Against Prism, answers are Docker's examples, so no call may depend on what an earlier one returned:
 * every id comes from `OperationIds`. Entries run in order: creations come before reads of the same thing,
 * deletions last. Lists read their first page only (one request each).
 */
import type { Secret } from '../../src/core/secret.js';
import { type HubClient, SCIM_USER_SCHEMA } from '../../src/hub/index.js';

export interface OperationIds {
  /** An organization the client's user owns (with SCIM set up for it). */
  org: string;
  /** A repository of `org` holding `tag`. */
  repository: string;
  tag: string;
  /** A repository name the table creates in `org`. */
  newRepository: string;
  /** An existing team of `org`, and its numeric id. */
  team: string;
  teamId: number;
  /** A team name the table creates, renames and deletes. */
  newTeam: string;
  /** A member of `org` (not the caller): their role is changed, then they are removed. */
  member: string;
  /** Another member of `org`: added to `newTeam`, then removed from it. */
  teamMember: string;
  /** People to invite in bulk (Docker IDs or emails), into `team`. */
  invitees: string[];
  /** A pending invite to `org`: resent, then cancelled. */
  inviteId: string;
  /** A personal access token of the caller: read, updated, then deleted. */
  accessTokenId: string;
  /** An access token of `org`: read, updated, then deleted. */
  orgAccessTokenId: string;
  /** A user without two-factor authentication, for the legacy login. */
  login: { username: string; password: string };
  /** The second step of a two-factor login. */
  twoFactor: { login_2fa_token: string | Secret; code: string };
  /** The SCIM bearer of `org`, a provisioned SCIM user (id and email), and an email to provision. */
  scimToken: string;
  scimUserId: string;
  scimUserName: string;
  scimNewUser: string;
}

export type OperationCall = () => PromiseLike<unknown>;

const firstPage = <T>(list: { pages(): AsyncIterator<T> }) => list.pages().next();

/** The client needs `allowDestructive` (deletes, org-settings write). */
export function hubOperations(hub: HubClient, ids: OperationIds): Record<string, OperationCall> {
  const { org, repository: repo, tag } = ids;
  const scim = hub.scim(ids.scimToken);
  const renamedTeam = `${ids.newTeam}-renamed`;
  return {
    // authentication
    AuthCreateAccessToken: async () => {
      // A fresh mint, whatever earlier calls cached.
      const cached = await hub.auth.token();
      if (cached) hub.auth.invalidate(cached);
      return hub.auth.token();
    },
    PostUsersLogin: () => hub.legacyAuth.login(ids.login),
    PostUsers2FALogin: () => hub.legacyAuth.login2fa(ids.twoFactor),

    // repositories and tags
    listNamespaceRepositories: () =>
      firstPage(hub.repositories.list({ namespace: org, page: 1, page_size: 2, ordering: '-last_updated' })),
    CreateRepository: () =>
      hub.repositories.create({
        namespace: org,
        name: ids.newRepository,
        description: 'created by the operations table',
        full_description: '# readme',
        is_private: true,
      }),
    GetRepository: () => hub.repositories.get(org, repo),
    CheckRepository: () => hub.repositories.exists(org, repo),
    ListRepositoryTags: () => firstPage(hub.tags.list(org, repo, { page: 1, page_size: 5 })),
    'HEAD /v2/namespaces/{namespace}/repositories/{repository}/tags': () => hub.tags.exists(org, repo),
    GetRepositoryTag: () => hub.tags.get(org, repo, tag),
    'HEAD /v2/namespaces/{namespace}/repositories/{repository}/tags/{tag}': () =>
      hub.tags.exists(org, repo, tag),
    CreateRepositoryGroup: () => hub.repositories.permissions.grantTeam(org, repo, ids.teamId, 'write'),
    UpdateRepositoryImmutableTags: () =>
      hub.repositories.immutableTags.update(org, repo, {
        immutable_tags: true,
        immutable_tags_rules: ['v.*', '^release-[0-9]+$'],
      }),
    // A literal tag: the spec's pattern for `regex` refuses regular expressions (see knownSpecDefects).
    VerifyRepositoryImmutableTags: () => hub.repositories.immutableTags.verify(org, repo, tag),

    // personal access tokens
    'POST /v2/access-tokens': () =>
      hub.accessTokens.create({
        token_label: 'ci',
        scopes: ['repo:read'],
        expires_at: '2099-01-01T00:00:00Z',
      }),
    'GET /v2/access-tokens': () => firstPage(hub.accessTokens.list({ page: 1, page_size: 10 })),
    'GET /v2/access-tokens/{uuid}': () => hub.accessTokens.get(ids.accessTokenId),
    'PATCH /v2/access-tokens/{uuid}': () =>
      hub.accessTokens.update(ids.accessTokenId, { token_label: 'ci-renamed', is_active: false }),
    'DELETE /v2/access-tokens/{uuid}': () => hub.accessTokens.delete(ids.accessTokenId),

    // organization access tokens
    'POST /v2/orgs/{name}/access-tokens': () =>
      hub.orgAccessTokens.create(org, {
        label: 'pipeline',
        description: 'pulls the org images',
        resources: [{ type: 'TYPE_REPO', path: `${org}/*`, scopes: ['repo-pull'] }],
        expires_at: '2099-01-01T00:00:00Z',
      }),
    'GET /v2/orgs/{name}/access-tokens': () =>
      firstPage(hub.orgAccessTokens.list(org, { page: 1, page_size: 10 })),
    'GET /v2/orgs/{org_name}/access-tokens/{access_token_id}': () =>
      hub.orgAccessTokens.get(org, ids.orgAccessTokenId),
    'PATCH /v2/orgs/{org_name}/access-tokens/{access_token_id}': () =>
      hub.orgAccessTokens.update(org, ids.orgAccessTokenId, {
        label: 'pipeline-2',
        is_active: false,
        resources: [{ type: 'TYPE_ORG', path: org, scopes: ['member-read'] }],
      }),
    'DELETE /v2/orgs/{org_name}/access-tokens/{access_token_id}': () =>
      hub.orgAccessTokens.delete(org, ids.orgAccessTokenId),

    // audit logs
    AuditLogs_ListAuditActions: () => hub.auditLogs.actions(org),
    AuditLogs_ListAuditLogs: () =>
      firstPage(
        hub.auditLogs.list(org, {
          action: 'repo.create',
          name: `${org}/${repo}`,
          actor: ids.login.username,
          from: '2025-01-01',
          to: new Date('2099-01-01T00:00:00Z'),
          page_size: 10,
        }),
      ),

    // organization settings
    'GET /v2/orgs/{name}/settings': () => hub.orgs.settings.get(org),
    'PUT /v2/orgs/{name}/settings': () =>
      hub.orgs.settings.update(org, {
        restricted_images: { enabled: true, allow_official_images: true, allow_verified_publishers: false },
      }),

    // members (the `search` filter is left out: see knownSpecDefects)
    'GET /v2/orgs/{org_name}/members': () =>
      firstPage(
        hub.orgs.members.list(org, { type: 'all', role: 'editor', invites: true, page: 1, page_size: 25 }),
      ),
    'GET /v2/orgs/{org_name}/members/export': () => hub.orgs.members.export(org),
    'PUT /v2/orgs/{org_name}/members/{username}': () =>
      hub.orgs.members.updateRole(org, ids.member, 'editor'),
    'DELETE /v2/orgs/{org_name}/members/{username}': () => hub.orgs.members.remove(org, ids.member),

    // invites
    'GET /v2/orgs/{org_name}/invites': () => hub.orgs.invites.list(org),
    'POST /v2/invites/bulk': () =>
      hub.orgs.invites.bulk({ org, team: ids.team, role: 'member', invitees: ids.invitees, dry_run: false }),
    'PATCH /v2/invites/{id}/resend': () => hub.orgs.invites.resend(ids.inviteId),
    'DELETE /v2/invites/{id}': () => hub.orgs.invites.cancel(ids.inviteId),

    // teams (Docker's "groups") and their members
    'GET /v2/orgs/{org_name}/groups': () =>
      firstPage(
        hub.orgs.teams.list(org, { username: ids.teamMember, search: ids.team, page: 1, page_size: 10 }),
      ),
    'POST /v2/orgs/{org_name}/groups': () => hub.orgs.teams.create(org, ids.newTeam),
    'GET /v2/orgs/{org_name}/groups/{group_name}': () => hub.orgs.teams.get(org, ids.newTeam),
    'PUT /v2/orgs/{org_name}/groups/{group_name}': () =>
      hub.orgs.teams.replace(org, ids.newTeam, { name: renamedTeam }),
    'PATCH /v2/orgs/{org_name}/groups/{group_name}': () =>
      hub.orgs.teams.update(org, renamedTeam, { name: ids.newTeam }),
    'POST /v2/orgs/{org_name}/groups/{group_name}/members': () =>
      hub.orgs.teams.members.add(org, ids.newTeam, ids.teamMember),
    'GET /v2/orgs/{org_name}/groups/{group_name}/members': () =>
      firstPage(
        hub.orgs.teams.members.list(org, ids.newTeam, { search: ids.teamMember, page: 1, page_size: 10 }),
      ),
    'DELETE /v2/orgs/{org_name}/groups/{group_name}/members/{username}': () =>
      hub.orgs.teams.members.remove(org, ids.newTeam, ids.teamMember),
    'DELETE /v2/orgs/{org_name}/groups/{group_name}': () => hub.orgs.teams.delete(org, ids.newTeam),

    // SCIM (its own bearer, application/scim+json)
    'GET /v2/scim/2.0/ServiceProviderConfig': () => scim.serviceProviderConfig(),
    'GET /v2/scim/2.0/ResourceTypes': () => scim.resourceTypes(),
    'GET /v2/scim/2.0/ResourceTypes/{name}': () => scim.resourceType('User'),
    'GET /v2/scim/2.0/Schemas': () => scim.schemas(),
    'GET /v2/scim/2.0/Schemas/{id}': () => scim.schema(SCIM_USER_SCHEMA),
    'GET /v2/scim/2.0/Users': () =>
      firstPage(
        scim.users.list({
          userName: ids.scimUserName,
          startIndex: 1,
          count: 10,
          sortBy: 'userName',
          sortOrder: 'ascending',
          attributes: 'userName,displayName',
        }),
      ),
    'POST /v2/scim/2.0/Users': () =>
      scim.users.create({ userName: ids.scimNewUser, name: { givenName: 'New', familyName: 'Hire' } }),
    'GET /v2/scim/2.0/Users/{id}': () => scim.users.get(ids.scimUserId),
    'PUT /v2/scim/2.0/Users/{id}': () =>
      scim.users.replace(ids.scimUserId, {
        active: true,
        name: { givenName: 'Renamed', familyName: 'User' },
      }),
  };
}

/**
 * Requests the real API takes but Docker's published spec refuses (listed in docs/hub-api.md; the emulator
 * corrects both in src/emulator/spec-repairs.ts). Prism, which reads the spec as published, must refuse
 * exactly these; the emulator must accept them.
 */
export interface KnownSpecDefect {
  operation: string;
  defect: string;
  call: OperationCall;
  /** What Prism's log names as the violation. */
  violation: RegExp;
}

export function knownSpecDefects(hub: HubClient, ids: OperationIds): KnownSpecDefect[] {
  return [
    {
      operation: 'GET /v2/orgs/{org_name}/members',
      defect: 'the members `search` filter is free text but typed as an integer',
      call: () => firstPage(hub.orgs.members.list(ids.org, { search: ids.teamMember })),
      violation: /Violation: request\.query\.search Request query parameter search must be integer/,
    },
    {
      operation: 'VerifyRepositoryImmutableTags',
      defect: "the verify `regex` pattern refuses regular expressions, the spec's own example `v.*` included",
      call: () => hub.repositories.immutableTags.verify(ids.org, ids.repository, 'v.*'),
      violation: /Violation: request\.body\.regex .*must match pattern/,
    },
  ];
}

/**
 * The spec's own defects on the answer side: answers the real API gives (and the emulator gives, as the
 * real API does) that Docker's response schemas refuse. Each is named, with why, in docs/hub-api.md
 * ("Response schema defects"), and nothing else is excepted: the emulator pass fails on any other
 * departure of an answer from its schema, and on a listed defect that no longer occurs.
 */
export interface ResponseDefect {
  /** As docs/hub-api.md names it. */
  name: string;
  operations: string[];
  /** What the emulator's response check reports (SpecValidator.checkResponse). */
  violation: RegExp;
}

export const RESPONSE_DEFECTS: ResponseDefect[] = [
  {
    name: 'HEAD answer with a body schema',
    operations: ['CheckRepository'],
    violation: /^a 200 answer has no body, but the spec documents application\/json content$/,
  },
  {
    name: 'page links typed as non-nullable strings',
    operations: [
      'GET /v2/access-tokens',
      'GET /v2/orgs/{name}/access-tokens',
      'GET /v2/orgs/{org_name}/groups',
      'GET /v2/orgs/{org_name}/groups/{group_name}/members',
    ],
    violation: /^body\.(next|previous) must be string$/,
  },
  {
    name: 'members list typed as an array of pages',
    operations: ['GET /v2/orgs/{org_name}/members'],
    violation: /^body must be array$/,
  },
  {
    name: 'CSV export typed as an array',
    operations: ['GET /v2/orgs/{org_name}/members/export'],
    violation: /^body must be array$/,
  },
  {
    name: 'member role enum without Editor',
    operations: ['PUT /v2/orgs/{org_name}/members/{username}'],
    violation: /^body\.role must be equal to one of the allowed values \(Owner, Member, Invitee\)$/,
  },
  {
    name: 'bulk invite answer nested twice',
    operations: ['POST /v2/invites/bulk'],
    violation: /^body\.invitees must be object$/,
  },
];

/** The listed defect a response violation is, if any. */
export function responseDefectOf(v: { operation: string; violation: string }): ResponseDefect | undefined {
  return RESPONSE_DEFECTS.find((d) => d.operations.includes(v.operation) && d.violation.test(v.violation));
}

/** Runs each call in order; the failures, by operation, as one-line messages. */
export async function runOperations(
  calls: Record<string, OperationCall>,
  observe: (operation: string, run: OperationCall) => PromiseLike<unknown> = (_, run) => run(),
): Promise<Record<string, string>> {
  const failures: Record<string, string> = {};
  for (const [operation, call] of Object.entries(calls)) {
    try {
      await observe(operation, call);
    } catch (err) {
      failures[operation] = (err as Error).message;
    }
  }
  return failures;
}
