/** docs/mcp-tools.md is generated from the tool registry; it must match what the server serves. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_TOOLS } from '../../src/mcp/tools/index.js';
import { renderToolsDoc } from '../../src/mcp/tools-doc.js';

describe('docs/mcp-tools.md', () => {
  it('is fresh (regenerate with npm run docs:mcp-tools)', () => {
    const onDisk = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'mcp-tools.md'), 'utf8');
    expect(onDisk).toBe(renderToolsDoc(ALL_TOOLS));
  });
});
