/**
 * The emulator's spec gate as a user meets it: it reads the package's own copy of Docker's spec (nothing
 * beside the checkout), refuses to start when the spec is missing or unreadable (naming the path), turns
 * validation off only when told to and then says so, and its response check names what an answer lacks.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';
import { loadSpecValidator, type SpecValidator } from '../../src/emulator/spec.js';
import { defaultScoutSchemaPath, defaultSpecPath, packageRoot } from '../../src/emulator/spec-files.js';

const ROOT = join(import.meta.dirname, '..', '..');
let work: string;
let spec: SpecValidator;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'dh-spec-gate-'));
  spec = await loadSpecValidator(defaultSpecPath({}));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** A token request without the required `identifier`: Docker's spec refuses it. */
const breakingLogin = (url: string) =>
  fetch(`${url}/v2/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ secret: 'x' }),
  });

describe('where the specs come from', () => {
  it("the package's specs/ folder, unless an environment variable names another file", () => {
    expect(packageRoot()).toBe(ROOT);
    expect(defaultSpecPath({})).toBe(join(ROOT, 'specs', 'hub-api.json'));
    expect(defaultScoutSchemaPath({})).toBe(join(ROOT, 'specs', 'scout-schema.graphql'));
    expect(defaultSpecPath({ DOCKERHUB_HUB_SPEC: '/elsewhere/hub.yaml' })).toBe('/elsewhere/hub.yaml');
    expect(defaultScoutSchemaPath({ DOCKERHUB_SCOUT_SCHEMA: '/elsewhere/s.graphql' })).toBe(
      '/elsewhere/s.graphql',
    );
    expect(spec.path).toBe(join(ROOT, 'specs', 'hub-api.json'));
    expect(spec.operations).toBe(54);
  });
});

describe('a spec that cannot be read stops the start, naming the path', () => {
  it('missing', async () => {
    const missing = join(work, 'missing.json');
    await expect(loadSpecValidator(missing)).rejects.toThrow(
      `Docker Hub API spec not found: ${missing} (set DOCKERHUB_HUB_SPEC`,
    );
    await expect(startEmulator({ specPath: missing })).rejects.toThrow(missing);
  });

  it('not JSON, not YAML, a directory, or documenting no operation', async () => {
    const broken = join(work, 'broken.json');
    await writeFile(broken, '{"openapi": "3.0.3", "paths": {');
    await expect(startEmulator({ specPath: broken })).rejects.toThrow(
      new RegExp(`^Docker Hub API spec unreadable: ${broken} \\(not JSON: `),
    );
    const yaml = join(work, 'broken.yaml');
    await writeFile(yaml, 'paths: [unclosed');
    await expect(loadSpecValidator(yaml)).rejects.toThrow(`unreadable: ${yaml} (not YAML: `);
    await expect(loadSpecValidator(work)).rejects.toThrow(`Docker Hub API spec unreadable (EISDIR): ${work}`);
    const empty = join(work, 'empty.json');
    await writeFile(empty, '{"openapi": "3.0.3", "paths": {}}');
    await expect(loadSpecValidator(empty)).rejects.toThrow(
      `Docker Hub API spec unreadable: ${empty} (it documents no operations)`,
    );
  });

  it("the same for Scout's schema", async () => {
    const missing = join(work, 'missing.graphql');
    await expect(startEmulator({ scoutSchemaPath: missing })).rejects.toThrow(
      `Docker Scout GraphQL schema not found: ${missing} (set DOCKERHUB_SCOUT_SCHEMA`,
    );
    const broken = join(work, 'broken.graphql');
    await writeFile(broken, 'type Query {');
    await expect(startEmulator({ scoutSchemaPath: broken })).rejects.toThrow(
      `Docker Scout GraphQL schema unreadable: ${broken} (Syntax Error`,
    );
  });

  it('a file named by path may be YAML (JSON is YAML too)', async () => {
    const yaml = join(work, 'hub.yaml');
    await writeFile(yaml, await readFile(defaultSpecPath({}), 'utf8'));
    expect((await loadSpecValidator(yaml)).operations).toBe(54);
  });
});

describe('validation on by default, off only when asked, and then said', () => {
  it('by default a request that breaks the spec gets a 400 naming the violation', async () => {
    const warnings: string[] = [];
    const emu = await startEmulator({ warn: (l) => warnings.push(l) });
    try {
      expect(emu.spec?.path).toBe(join(ROOT, 'specs', 'hub-api.json'));
      const res = await breakingLogin(emu.url);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { detail: string }).detail).toBe(
        "request does not match the Docker Hub API spec (AuthCreateAccessToken): requestBody must have required property 'identifier'",
      );
      expect(warnings).toEqual([]);
    } finally {
      await emu.stop();
    }
  });

  it('validate: false (or the older specPath: false) serves it unchecked and says so once at start', async () => {
    for (const opts of [{ validate: false }, { specPath: false as const }]) {
      const warnings: string[] = [];
      const emu = await startEmulator({ ...opts, warn: (l) => warnings.push(l) });
      try {
        expect(emu.spec).toBeUndefined();
        expect(warnings).toEqual([
          "dockerhub emulator: request validation is off: requests are not checked against Docker's Hub API spec\n",
        ]);
        const res = await breakingLogin(emu.url);
        expect(await res.text()).not.toMatch(/does not match the Docker Hub API spec/);
      } finally {
        await emu.stop();
      }
    }
  });
});

describe("the response check names an answer's departures from the spec", () => {
  const answer = (status: number, body: unknown, contentType = 'application/json') => ({
    operation: 'GetRepository',
    method: 'GET',
    status,
    contentType,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

  it('missing required fields, wrong types, enums', () => {
    const violations = spec.checkResponse(answer(200, { name: 'app', namespace: 'acme', is_private: 'no' }));
    expect(violations).toContain("body must have required property 'user'");
    expect(violations).toContain("body must have required property 'permissions'");
    expect(violations).toContain('body.is_private must be boolean');
    expect(
      spec.checkResponse({
        operation: 'PUT /v2/orgs/{org_name}/members/{username}',
        method: 'PUT',
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify({ role: 'Boss' }),
      }),
    ).toContain('body.role must be equal to one of the allowed values (Owner, Member, Invitee)');
  });

  it('undocumented statuses and content types, bodies that are not JSON, missing bodies', () => {
    expect(spec.checkResponse(answer(418, {}))).toEqual([
      'status 418 is not documented (documented: 200, 401, 403, 404, 500)',
    ]);
    expect(spec.checkResponse(answer(200, '<html>', 'text/html'))).toEqual([
      'content type text/html is not documented for 200 (application/json)',
    ]);
    expect(spec.checkResponse(answer(200, '{', 'application/json; charset=utf-8'))).toEqual([
      'the application/json body is not JSON',
    ]);
    expect(spec.checkResponse(answer(200, ''))).toEqual([
      'a 200 answer has no body, but the spec documents application/json content',
    ]);
    // Undocumented operations are not the spec's business.
    expect(spec.checkResponse({ ...answer(200, {}), operation: 'GET /v2/user/orgs/' })).toEqual([]);
  });

  it('a conforming answer has none', () => {
    const ok = spec.checkResponse({
      operation: 'AuthCreateAccessToken',
      method: 'POST',
      status: 200,
      contentType: 'application/json',
      body: JSON.stringify({ access_token: 'eyJ.x.y' }),
    });
    expect(ok).toEqual([]);
  });
});
