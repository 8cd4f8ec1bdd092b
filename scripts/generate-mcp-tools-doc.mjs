#!/usr/bin/env node
// Writes docs/mcp-tools.md from the tool registry (run after `npm run build`: it reads dist/).
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { ALL_TOOLS } = await import(join(root, 'dist', 'mcp', 'tools', 'index.js'));
const { renderToolsDoc } = await import(join(root, 'dist', 'mcp', 'tools-doc.js'));
writeFileSync(join(root, 'docs', 'mcp-tools.md'), renderToolsDoc(ALL_TOOLS));
console.log('wrote docs/mcp-tools.md');
