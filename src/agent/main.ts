#!/usr/bin/env node
/**
 * Entry point of the `dockerhub-agent` executable (bundled into dist/bin beside `dockerhub` and
 * `dockerhub-mcp`). Node's compile cache is enabled first, so later starts skip recompiling.
 */
import module from 'node:module';

module.enableCompileCache?.();
const { runAgent } = await import('./run.js');
const code = await runAgent(process.argv.slice(2));
process.exit(code);
