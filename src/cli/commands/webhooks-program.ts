/** Registers `dockerhub webhooks listen`. */
import type { Command } from 'commander';
import { run } from '../action.js';
import type { ProgramIO } from '../program.js';
import type { ListenFlags } from './webhooks.js';

export function registerWebhookCommands(program: Command, io: ProgramIO): void {
  const webhooks = program.command('webhooks').description('receive Docker Hub webhooks');
  webhooks
    .command('listen')
    .description(
      'receive webhook deliveries on 127.0.0.1 and print each event as a JSON line (or run --exec per event); Ctrl-C stops',
    )
    .option('--port <n>', 'port to listen on (default: any free port, printed on stderr)')
    .option('--host <address>', 'address to bind (default 127.0.0.1; bind elsewhere only on purpose)')
    .option(
      '--secret-env <VAR>',
      'environment variable holding the shared secret (default DOCKERHUB_WEBHOOK_SECRET)',
    )
    .option('--secret-path', 'authenticate by the URL path /hooks/<secret> instead of a signature header')
    .option('--exec <command>', 'run this command per event with the event JSON on stdin (no shell)')
    .option('--exec-timeout <seconds>', 'time limit per --exec run (default 30)')
    .option('--max-body <bytes>', 'largest accepted delivery (default 1048576)')
    .addHelpText(
      'after',
      '\nDocker Hub does not sign deliveries; signatures (X-Hub-Signature-256: sha256=<HMAC>) come from our emulator or a relay.',
    )
    .action(async (flags: ListenFlags, cmd: Command) => {
      const { listenCommand } = await import('./webhooks.js');
      const controller = new AbortController();
      const stop = () => controller.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      try {
        await run(cmd, io, async () => {
          const data = await listenCommand(flags, {
            stdout: io.stdout,
            stderr: io.stderr,
            env: process.env,
            signal: io.signal ?? controller.signal,
            onListening: io.onListening,
          });
          return { data, text: () => '' };
        });
      } finally {
        process.removeListener('SIGINT', stop);
        process.removeListener('SIGTERM', stop);
      }
    });
}
