#!/usr/bin/env node
/** Entry point of the `dockerhub` CLI. */
import { redactText } from '../core/redact.js';
import { runCli } from './run.js';

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
