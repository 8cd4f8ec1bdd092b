#!/usr/bin/env node
/**
 * Entry point of the `dockerhub` CLI. Node's on-disk compile cache is enabled before anything else
 * loads, so later runs skip recompiling our modules and dependencies (it weighs on small transfers).
 */
import module from 'node:module';

module.enableCompileCache?.();
const { runCli } = await import('./run.js');
const { redactText } = await import('../core/redact.js');

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(
      `dockerhub: internal error: ${redactText(err instanceof Error ? err.message : String(err))}\n`,
    );
    process.exitCode = 1;
  },
);
