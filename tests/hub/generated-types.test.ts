/**
 * The committed spec types (src/hub/generated/hub-api.ts) must be what openapi-typescript generates from
 * the spec now: a spec update that was not regenerated fails here, naming the script to run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateHubTypes, HUB_TYPES_FILE, hubSpecPath } from '../../scripts/generate-hub-types.js';

describe('generated Hub spec types', () => {
  it('are up to date with the spec', async () => {
    const spec = hubSpecPath();
    expect(existsSync(spec), `${spec} not found: run \`npm run specs:sync\``).toBe(true);
    const fresh = await generateHubTypes(spec);
    const committed = readFileSync(HUB_TYPES_FILE, 'utf8');
    if (committed !== fresh)
      expect.fail(
        `src/hub/generated/hub-api.ts is stale (spec ${spec} changed): run \`npm run generate:hub-types\` and commit the result`,
      );
    expect(committed).toContain('GENERATED FILE');
  });

  it('leave the spec prose out but keep fields named like prose', async () => {
    const committed = readFileSync(HUB_TYPES_FILE, 'utf8');
    // `description` is a field of several schemas (teams, repositories): it must survive the prose filter.
    expect(committed).toMatch(/org_group: \{[^}]*description\?: string;/);
    // After the header, the only comments left are openapi-typescript's tags (@enum, Format: …).
    const body = committed.slice(committed.indexOf('*/') + 2);
    const comments = body.match(/\/\*[\s\S]*?\*\//g) ?? [];
    expect(comments.length).toBeGreaterThan(0);
    expect(
      comments.filter((c) => !/^\/\*\* (@(enum|default|deprecated)\b|Format: )[^\n]*\*\/$/.test(c)),
    ).toEqual([]);
  });
});
