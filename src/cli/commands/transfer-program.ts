/** Registers pull, push, copy, tag and delete on the program. Command modules load lazily. */
import { type Command, Option } from 'commander';
import { run, runWithClient, withClient } from '../action.js';
import { createRegistryClient, type GlobalOptions } from '../context.js';
import type { ProgramIO } from '../program.js';
import type { ProgressRenderer } from '../progress.js';

interface Flags {
  platform?: string;
  concurrency?: string;
  referrers?: boolean;
  quiet?: boolean;
  force?: boolean;
}

async function load() {
  const [commands, progress] = await Promise.all([import('./transfer.js'), import('../progress.js')]);
  return { commands, progress };
}

/**
 * Runs a transfer with progress on stderr and Ctrl-C wired to an AbortSignal, so an interrupted
 * transfer cleans up (temp files, upload sessions) before the process exits with 130.
 */
async function transfer(
  io: ProgramIO,
  cmd: Command,
  flags: Flags,
  body: (
    m: Awaited<ReturnType<typeof load>>,
    g: GlobalOptions,
    ctx: { signal: AbortSignal; onProgress: (e: import('../../registry/index.js').TransferEvent) => void },
  ) => Promise<import('./registry-read.js').CommandResult>,
): Promise<void> {
  const m = await load();
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  let renderer: ProgressRenderer | undefined;
  try {
    await run(cmd, io, async (g) => {
      const mode = m.progress.progressMode({ quiet: flags.quiet, json: g.json }, io.stderrIsTTY ?? false);
      renderer =
        mode === 'quiet'
          ? undefined
          : mode === 'json'
            ? m.progress.jsonProgress(io.stderr)
            : await m.progress.barProgress(process.stderr);
      const r = renderer;
      try {
        return await body(m, g, { signal: controller.signal, onProgress: (e) => r?.onEvent(e) });
      } finally {
        // Finish the bars before the result is printed below them.
        r?.stop();
        renderer = undefined;
      }
    });
  } finally {
    renderer?.stop();
    process.removeListener('SIGINT', onSigint);
  }
}

export function registerTransferCommands(program: Command, io: ProgramIO): void {
  const platform = () =>
    new Option('--platform <os/arch[/variant]>', 'only this platform of a multi-arch image');
  const conc = () => new Option('--concurrency <n>', 'blobs in flight at once (default 6)');
  const quiet = () => new Option('-q, --quiet', 'no progress output');

  program
    .command('pull')
    .description('pull an image (all platforms, or --platform) into a new OCI image layout directory')
    .argument('<image>', 'image reference')
    .argument('<dir>', 'directory to create (must not exist or be empty)')
    .addOption(platform())
    .addOption(conc())
    .addOption(quiet())
    .action((image: string, dir: string, flags: Flags, cmd: Command) =>
      transfer(io, cmd, flags, async (m, g, ctx) =>
        withClient(await createRegistryClient(g), (c) => m.commands.pullCommand(c, image, dir, flags, ctx)),
      ),
    );

  program
    .command('push')
    .description('push an image from an OCI image layout (DIR or DIR:TAG) to a registry')
    .argument('<layout>', 'OCI image layout directory, optionally :TAG to pick one image')
    .argument('<image>', 'destination reference')
    .addOption(conc())
    .addOption(quiet())
    .action((layout: string, image: string, flags: Flags, cmd: Command) =>
      transfer(io, cmd, flags, async (m, g, ctx) =>
        withClient(await createRegistryClient(g), (c) =>
          m.commands.pushCommand(c, layout, image, flags, ctx),
        ),
      ),
    );

  program
    .command('copy')
    .description('copy an image between repositories or registries (multi-arch; mounts within one registry)')
    .argument('<source>', 'source reference')
    .argument('<destination>', 'destination reference')
    .addOption(platform())
    .addOption(conc())
    .option('--referrers', 'also copy signatures, SBOMs and attestations that refer to the image')
    .addOption(quiet())
    .action((source: string, destination: string, flags: Flags, cmd: Command) =>
      transfer(io, cmd, flags, async (m, g, ctx) =>
        withClient(await createRegistryClient(g), (c) =>
          m.commands.copyCommand(c, source, destination, flags, ctx),
        ),
      ),
    );

  program
    .command('tag')
    .description('give an image another tag in the same repository (manifest re-put, no blob traffic)')
    .argument('<image>', 'existing image reference')
    .argument('<new-tag>', 'the new tag')
    .action(async (image: string, newTag: string, _flags: Flags, cmd: Command) => {
      const m = await load();
      await runWithClient(cmd, io, createRegistryClient, (c) => m.commands.tagCommand(c, image, newTag));
    });

  program
    .command('delete')
    .description('delete an image manifest from a registry (asks for confirmation unless --force)')
    .argument('<image>', 'image reference (a tag is resolved to its digest first)')
    .option('-f, --force', 'do not ask for confirmation')
    .action(async (image: string, flags: Flags, cmd: Command) => {
      const m = await load();
      const { ValidationError } = await import('../../core/errors.js');
      const confirm =
        io.confirm ??
        (async () => {
          throw new ValidationError(
            'refusing to delete without confirmation: run in a terminal or pass --force',
          );
        });
      await run(cmd, io, async (g) =>
        // Confirmation (or --force) is the CLI's consent for a destructive operation.
        withClient(await createRegistryClient({ ...g, allowDestructive: true }), (c) =>
          m.commands.deleteCommand(c, image, confirm, flags.force ?? false),
        ),
      );
    });
}
