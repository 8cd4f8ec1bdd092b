#!/usr/bin/env -S node --max-semi-space-size=1
/**
 * Entry point of the `dockerhub` CLI. Node's on-disk compile cache is enabled before anything else
 * loads, so later runs skip recompiling our modules and dependencies (it weighs on small transfers).
 * The shebang caps V8's young generation at 1 MiB per semi-space: a transfer allocates a stream of
 * short-lived chunk buffers, and the default 16 MiB semi-spaces let them pile up to ~60 MB of peak RSS
 * for no speed gain (measured in docs/benchmarks.md). V8 ignores the flag when set at run time, hence
 * the shebang (`env -S` splits it; npm's Windows shims read it too).
 */
import module from 'node:module';

module.enableCompileCache?.();
// `dockerhub … | head`: once the reader is gone, stop quietly as other CLIs do (no stack trace).
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});
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
