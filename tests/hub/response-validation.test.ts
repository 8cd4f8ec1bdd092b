/**
 * Lenient response validation, against a tiny loopback server that answers what Docker's spec does not
 * promise: a response missing a field the SDK relies on is returned as is with one warning naming the
 * operation and the field; a body that is not JSON at all is a typed error. (The emulator's answers
 * validating cleanly is asserted in tests/hub/operations-coverage.test.ts.)
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DockerHubError, InvalidResponseError } from '../../src/core/errors.js';
import { createLogger } from '../../src/core/logger.js';
import { HubClient, ScimClient } from '../../src/hub/index.js';

const SENTINEL = 'SENTINEL-s3cr3t-do-not-leak';

/** Path → [status, content type, body]. */
const answers: Record<string, [number, string, string]> = {
  '/v2/namespaces/acme/repositories/app': [
    200,
    'application/json',
    // No `name`, a pull count of the wrong type, a field the spec lacks, and a secret-looking value.
    JSON.stringify({ namespace: 'acme', pull_count: 'lots', brand_new_field: 1, description: SENTINEL }),
  ],
  '/v2/namespaces/acme/repositories/ok': [
    200,
    'application/json',
    JSON.stringify({ name: 'ok', namespace: 'acme', brand_new_field: { nested: true } }),
  ],
  '/v2/namespaces/acme/repositories': [
    200,
    'application/json',
    JSON.stringify({
      count: 2,
      next: null,
      results: [{ name: 'a', namespace: 'acme' }, { namespace: 'acme' }],
    }),
  ],
  '/v2/namespaces/acme/repositories/proxy': [
    200,
    'text/html',
    `<html><body>Sign in to the proxy (${SENTINEL})</body></html>`,
  ],
  '/v2/namespaces/acme/repositories/app/tags/latest': [
    200,
    'application/json',
    // `images` as the spec declares it (one object), not the array Hub sends.
    JSON.stringify({ name: 'latest', images: { architecture: 'amd64' } }),
  ],
  '/v2/scim/2.0/Users/u1': [
    200,
    'application/scim+json',
    JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'jo@example.test' }),
  ],
};

let server: Server;
let baseUrl: string;
const lines: string[] = [];
const logger = createLogger({
  level: 'warn',
  destination: new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  }),
});
const warnings = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);

const hub = () =>
  new HubClient({
    baseUrl,
    credentials: { env: {}, useDockerConfig: false },
    retry: false,
    logger,
  });

beforeAll(async () => {
  server = createServer((req, res) => {
    const answer = answers[new URL(req.url ?? '/', 'http://x').pathname];
    const [status, type, body] = answer ?? [404, 'application/json', '{"detail":"not found"}'];
    res.writeHead(status, { 'content-type': type }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  lines.length = 0;
});

describe('a response that does not match the SDK schema', () => {
  it('is returned as is, with one warning naming the operation and the first mismatching field', async () => {
    const repo = await hub().repositories.get('acme', 'app');
    expect(repo).toEqual({
      namespace: 'acme',
      pull_count: 'lots',
      brand_new_field: 1,
      description: SENTINEL,
    });
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toMatchObject({
      level: 40,
      operation: 'docker.repo.get',
      path: 'name',
      mismatches: 2,
    });
    expect(String(warnings()[0]?.msg)).toContain('docker.repo.get');
    // The warning names fields, never values.
    expect(lines.join('')).not.toContain(SENTINEL);
  });

  it('in a list: every item is still returned, the warning names the item and field', async () => {
    const items = await hub().repositories.list({ namespace: 'acme' }).toArray();
    expect(items.map((r) => r.namespace)).toEqual(['acme', 'acme']);
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toMatchObject({ operation: 'docker.repo.list', path: 'results.1.name' });
  });

  it("where the spec is known wrong, the SDK's corrected shape is the one checked", async () => {
    const tag = await hub().tags.get('acme', 'app', 'latest');
    expect(tag.images).toEqual({ architecture: 'amd64' });
    expect(warnings()).toMatchObject([{ operation: 'docker.tag.get', path: 'images' }]);
  });

  it('in the SCIM client too', async () => {
    const scim = new ScimClient({ baseUrl, token: 'scim-token', retry: false, logger });
    const user = await scim.users.get('u1');
    expect(user.userName).toBe('jo@example.test');
    expect(warnings()).toMatchObject([{ operation: 'docker.scim.users.get', path: 'id' }]);
    await scim.close();
  });

  it('a matching response, extra fields and all, logs nothing', async () => {
    const repo = await hub().repositories.get('acme', 'ok');
    expect(repo.brand_new_field).toEqual({ nested: true });
    expect(lines).toEqual([]);
  });
});

describe('a body that is not JSON where JSON was expected', () => {
  it('is a typed error naming the operation, the status and the content type, without the body text', async () => {
    const err = await hub()
      .repositories.get('acme', 'proxy')
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(InvalidResponseError);
    expect(err).toBeInstanceOf(DockerHubError);
    const e = err as InvalidResponseError;
    expect(e.message).toBe(
      'docker.repo.get: expected a JSON response, got 200 with a body that is not JSON (text/html)',
    );
    expect(e.status).toBe(200);
    expect(e.url).toBe(`${baseUrl}/v2/namespaces/acme/repositories/proxy`);
    expect(e.message).not.toContain(SENTINEL);
    expect(JSON.stringify(e)).not.toContain(SENTINEL);
    expect(lines).toEqual([]);
  });
});
