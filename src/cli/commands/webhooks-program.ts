/** Registers `dockerhub webhooks listen`. The command module is imported only when it runs. */
import type { Command } from 'commander';
import type { ProgramIO } from '../program.js';
import type { ListenFlags } from './webhooks.js';

export function registerWebhookCommands(program: Command, io: ProgramIO): void {
  const webhooks = program
    .command('webhooks')
    .description('receive Docker Hub webhook deliveries (see docs/webhooks.md)');
  webhooks
    .command('listen')
    .description(
      'receive deliveries on 127.0.0.1 and print each event as a JSON line on stdout (or run --exec per event); Ctrl-C stops',
    )
    .option('--port <n>', 'port to listen on (default: any free port, shown on stderr)')
    .option('--host <address>', 'address to bind (default 127.0.0.1; anything else exposes the receiver)')
    .option(
      '--secret-env <VAR>',
      'environment variable holding the shared secret (default DOCKERHUB_WEBHOOK_SECRET; never pass it as an argument)',
    )
    .option('--secret-path', 'authenticate by the URL path /hooks/<secret> instead of a signature header')
    .option(
      '--exec <command>',
      'run this command per event, event JSON on stdin (no shell; quotes group words)',
    )
    .option('--exec-timeout <seconds>', 'time limit per --exec run (default 30)')
    .option('--exec-concurrency <n>', 'most --exec runs at once (default 4)')
    .option('--max-body <bytes>', 'largest accepted delivery; larger ones get 413 (default 1048576)')
    .addHelpText(
      'after',
      `
With a secret (env DOCKERHUB_WEBHOOK_SECRET), deliveries must carry X-Hub-Signature-256: sha256=<HMAC-SHA256
of the body>, or with --secret-path be posted to /hooks/<secret>. Docker Hub itself signs nothing: give it the
secret-path URL (through an HTTPS proxy or tunnel), or put something that authenticates in front.`,
    )
    .action(async (flags: ListenFlags) => {
      const { listenCommand } = await import('./webhooks.js');
      const controller = new AbortController();
      const stop = () => controller.abort();
      // `once`: a second Ctrl-C gets Node's default behaviour and ends the process at once.
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      try {
        await listenCommand(flags, {
          stdout: io.stdout,
          stderr: io.stderr,
          env: process.env,
          signal: io.signal ? AbortSignal.any([io.signal, controller.signal]) : controller.signal,
          onListening: io.onListening,
        });
      } finally {
        process.removeListener('SIGINT', stop);
        process.removeListener('SIGTERM', stop);
      }
    });
}
