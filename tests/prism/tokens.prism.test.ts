/**
 * Contract pass against Stoplight Prism mocking Docker's spec with `--errors`: personal and organization
 * access tokens, logging in with an org token, audit logs, and SCIM (its own `bearerSCIMAuth` bearer and
 * `application/scim+json` bodies). Prism answers from the spec's examples; the request side is under test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubClient, SCIM_USER_SCHEMA, type ScimClient } from '../../src/hub/index.js';
import { type RunningPrism, startPrism } from '../helpers/prism.js';

let prism: RunningPrism;
let hub: HubClient;
let scim: ScimClient;

beforeAll(async () => {
  prism = await startPrism();
  hub = new HubClient({
    baseUrl: prism.url,
    credentials: { username: 'alice', password: 'pw', env: {}, useDockerConfig: false },
    allowDestructive: true,
  });
  scim = hub.scim('scim-token-for-prism');
}, 90_000);
afterAll(async () => {
  expect(prism.requestViolations).toEqual([]);
  await scim?.close();
  await hub?.close();
  await prism?.stop();
});

describe('Prism pass: tokens, audit logs, SCIM', () => {
  it('personal access tokens: create, list, get, update, delete', async () => {
    const created = await hub.accessTokens.create({ token_label: 'ci', scopes: ['repo:write'] });
    expect(created.uuid).toBeTruthy();
    expect((await hub.accessTokens.list({ page_size: 5 }).pages().next()).done).toBe(false);
    await hub.accessTokens.get(created.uuid);
    await hub.accessTokens.update(created.uuid, { is_active: false });
    await hub.accessTokens.delete(created.uuid);
  });

  it('organization access tokens: create, list, get, update, delete', async () => {
    const created = await hub.orgAccessTokens.create('acme', {
      label: 'ci',
      description: 'pipeline',
      resources: [{ type: 'TYPE_REPO', path: 'acme/*', scopes: ['repo-pull'] }],
      expires_at: '2099-01-01T00:00:00Z',
    });
    expect(created.token.reveal()).toMatch(/^dckr_oat_/);
    const id = created.id ?? 'a7a5ef25-8889-43a0-8cc7-f2a94268e861';
    expect((await hub.orgAccessTokens.list('acme', { page: 1, page_size: 10 }).pages().next()).done).toBe(
      false,
    );
    await hub.orgAccessTokens.get('acme', id);
    await hub.orgAccessTokens.update('acme', id, {
      label: 'ci2',
      is_active: false,
      resources: [{ type: 'TYPE_ORG', path: 'acme', scopes: ['member-read'] }],
    });
    await hub.orgAccessTokens.delete('acme', id);
  });

  it('logs in with an organization name and an org access token', async () => {
    const robot = new HubClient({
      baseUrl: prism.url,
      credentials: {
        username: 'acme',
        password: 'dckr_oat_7awgM4jG5SQvxcvmNzhKj8PQjxo',
        env: {},
        useDockerConfig: false,
      },
    });
    await robot.auditLogs.actions('acme');
    expect(robot.auth.mints).toBe(1);
    await robot.close();
  });

  it('audit logs: list with every filter, and the actions', async () => {
    const page = await hub.auditLogs
      .list('acme', {
        action: 'repo.create',
        name: 'acme/app',
        actor: 'alice',
        from: '2025-01-01',
        to: new Date('2025-02-01T00:00:00Z'),
        page_size: 10,
      })
      .pages()
      .next();
    expect(page.done).toBe(false);
    const { actions } = await hub.auditLogs.actions('acme');
    expect(actions).toBeDefined();
  });

  it('SCIM: discovery, users list/get/create/replace', async () => {
    await scim.serviceProviderConfig();
    await scim.resourceTypes();
    await scim.resourceType('User');
    await scim.schemas();
    await scim.schema(SCIM_USER_SCHEMA);
    const page = await scim.users
      .list({
        userName: 'jon.snow@docker.com',
        startIndex: 1,
        count: 10,
        sortBy: 'userName',
        sortOrder: 'ascending',
        attributes: 'userName,displayName',
      })
      .pages()
      .next();
    expect(page.done).toBe(false);
    await scim.users.get('d80f7c79-7730-49d8-9a41-7c42fb622d9c');
    await scim.users.create({
      userName: 'jon.snow@docker.com',
      name: { givenName: 'Jon', familyName: 'Snow' },
    });
    await scim.users.replace('d80f7c79-7730-49d8-9a41-7c42fb622d9c', {
      active: false,
      name: { givenName: 'Jon', familyName: 'Snow' },
    });
  });
});
