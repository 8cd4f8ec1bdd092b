#!/usr/bin/env node
/**
 * Entry point of the `dockerhub-mcp` executable (bundled into dist/bin like `dockerhub`). Node's compile
 * cache is enabled first, so later starts skip recompiling: cold start lands in every assistant's launch.
 */
import module from 'node:module';

module.enableCompileCache?.();
const { runMcpServer } = await import('./run.js');
const code = await runMcpServer(process.argv.slice(2));
process.exit(code);
