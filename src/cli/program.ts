/**
 * The `dockerhub` command tree (commander). Command modules are imported lazily inside actions so that
 * `dockerhub --version` and `--help` start fast.
 */
import { Command, Option } from 'commander';
import { collect, runWithClient } from './action.js';
import { registerAccountCommands } from './commands/account-program.js';
import { registerEmulatorCommands } from './commands/emulator-program.js';
import { registerHubCommands } from './commands/hub-program.js';
import { registerOrgCommands } from './commands/org-program.js';
import type { PinOptions, TagsOptions } from './commands/registry-read.js';
import { registerScoutCommands } from './commands/scout-program.js';
import { registerTokenCommands } from './commands/tokens-program.js';
import { registerTransferCommands } from './commands/transfer-program.js';
import { registerWebhookCommands } from './commands/webhooks-program.js';
import { createRegistryClient } from './context.js';

export { VERSION } from '../core/version.js';

import { VERSION } from '../core/version.js';

export interface ProgramIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stdout is a terminal. */
  isTTY: boolean;
  /** Whether stderr is a terminal (progress bars). */
  stderrIsTTY?: boolean;
  /** Asks a yes/no question; absent when there is no terminal to ask on. */
  confirm?: (question: string) => Promise<boolean>;
  /** Stops long-running commands (servers) in tests; the CLI uses Ctrl-C. */
  signal?: AbortSignal;
  /** Told the URL once a server command listens. */
  onListening?: (url: string) => void;
}

export function buildProgram(io: ProgramIO): Command {
  const program = new Command('dockerhub')
    .description(
      'Docker Hub and OCI registry toolkit: inspect, pull, push and copy images; manage Docker Hub (repositories, tokens, organizations, teams, audit logs, SCIM); Docker Scout; a local Docker Hub emulator.',
    )
    .version(VERSION, '-V, --version')
    .option('--json', 'print machine-readable JSON instead of text')
    .option(
      '--insecure-registry <host>',
      'registry host to contact over plain HTTP (repeatable; loopback hosts always are)',
      collect,
    )
    .option('--timeout <seconds>', 'idle timeout per request in seconds', '60')
    .option(
      '--retries <n>',
      'retries of a request that failed with 429, 5xx or a dropped connection, 0 to 20 (env DOCKERHUB_MAX_RETRIES; default 3)',
    )
    // Set before subcommands are added: commander copies these settings to each of them.
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      `
Images are references like nginx, nginx:1.27, user/app@sha256:…, 127.0.0.1:5000/repo:tag.
Credentials: DOCKER_HUB_USER/DOCKER_HUB_TOKEN, DOCKERHUB_USERNAME/DOCKERHUB_TOKEN, or your Docker login
(~/.docker/config.json and its credential helpers). Logs: DOCKERHUB_LOG_LEVEL=debug (to stderr).`,
    );

  const platformOption = () =>
    new Option('--platform <os/arch[/variant]>', 'pick one platform of a multi-arch image, e.g. linux/arm64');

  const registry = () => import('./commands/registry-read.js');

  program
    .command('inspect')
    .description('summarise an image: digest, media type, platforms, layers and sizes, config')
    .argument('<image>', 'image reference')
    .addOption(platformOption())
    .action(async (image: string, opts: { platform?: string }, cmd: Command) => {
      const commands = await registry();
      await runWithClient(cmd, io, createRegistryClient, (c) => commands.inspectCommand(c, image, opts));
    });

  program
    .command('manifest')
    .description('print the raw manifest (or index) of an image')
    .argument('<image>', 'image reference')
    .addOption(platformOption())
    .action(async (image: string, opts: { platform?: string }, cmd: Command) => {
      const commands = await registry();
      await runWithClient(cmd, io, createRegistryClient, (c) => commands.manifestCommand(c, image, opts));
    });

  program
    .command('config')
    .description("print an image's configuration (env, entrypoint, labels, history)")
    .argument('<image>', 'image reference')
    .addOption(platformOption())
    .action(async (image: string, opts: { platform?: string }, cmd: Command) => {
      const commands = await registry();
      await runWithClient(cmd, io, createRegistryClient, (c) => commands.configCommand(c, image, opts));
    });

  program
    .command('platforms')
    .description('list the platforms of a (multi-arch) image')
    .argument('<image>', 'image reference')
    .action(async (image: string, _opts: unknown, cmd: Command) => {
      const commands = await registry();
      await runWithClient(cmd, io, createRegistryClient, (c) => commands.platformsCommand(c, image));
    });

  program
    .command('tags')
    .description('list the tags of a repository (streams every page); semver filtering and sorting')
    .argument('<repository>', 'repository, e.g. nginx or 127.0.0.1:5000/team/app')
    .option('--limit <n>', 'stop after n tags')
    .option('--page-size <n>', 'tags requested per page')
    .option('--last <tag>', 'start after this tag')
    .option('--semver <range>', "only version tags in this semver range, e.g. '^1.2' (1.27 reads as 1.27.0)")
    .option('--include-prerelease', 'with --semver: include suffixed tags such as 1.2.3-alpine or 2.0.0-rc1')
    .option('--latest', 'print only the highest version tag (with --semver: the highest in range)')
    .addOption(
      new Option('--sort <order>', 'sort order').choices(['name', 'semver', 'registry']).default('registry'),
    )
    .action(async (repo: string, opts: TagsOptions, cmd: Command) => {
      const commands = await registry();
      await runWithClient(cmd, io, createRegistryClient, (c) => commands.tagsCommand(c, repo, opts));
    });

  program
    .command('rate-limit')
    .description(
      'show your Docker Hub pull limit: a HEAD on ratelimitpreview/test, which does not count as a pull',
    )
    .option('--probe <image>', 'image to probe (default docker.io/ratelimitpreview/test:latest)')
    .action(async (opts: { probe?: string }, cmd: Command) => {
      const commands = await registry();
      await runWithClient(cmd, io, createRegistryClient, (c) => commands.rateLimitCommand(c, opts.probe));
    });

  program
    .command('pin')
    .description(
      'pin an image to the digest it points at now, for reproducible deployments (prints name@sha256:…)',
    )
    .argument('<image>', 'image reference')
    .addOption(platformOption())
    .option('--canonical', 'print the full name (docker.io/library/nginx@…) instead of the short one')
    .option('--keep-tag', 'keep the tag next to the digest (nginx:1.27@sha256:…)')
    .action(async (image: string, opts: PinOptions, cmd: Command) => {
      const commands = await registry();
      await runWithClient(cmd, io, createRegistryClient, (c) => commands.pinCommand(c, image, opts));
    });

  program
    .command('digest')
    .description('print the manifest digest a tag points at (HEAD request: not counted as a Docker Hub pull)')
    .argument('<image>', 'image reference')
    .addOption(platformOption())
    .action(async (image: string, opts: { platform?: string }, cmd: Command) => {
      const commands = await registry();
      await runWithClient(cmd, io, createRegistryClient, (c) => commands.digestCommand(c, image, opts));
    });

  program
    .command('referrers')
    .description('list attestations, signatures and SBOMs that refer to an image (OCI referrers)')
    .argument('<image>', 'image reference')
    .option('--artifact-type <type>', 'only referrers of this artifact type')
    .action(async (image: string, opts: { artifactType?: string }, cmd: Command) => {
      const commands = await registry();
      await runWithClient(cmd, io, createRegistryClient, (c) => commands.referrersCommand(c, image, opts));
    });

  program
    .command('blob')
    .description('download a blob, verified against its digest, to a file (-o) or to stdout')
    .argument('<repository>', 'repository holding the blob')
    .argument('<digest>', 'blob digest, e.g. sha256:…')
    .option('-o, --output <file>', 'write to this file (atomically, after verification)')
    .action(async (repo: string, digest: string, opts: { output?: string }, cmd: Command) => {
      const commands = await registry();
      await runWithClient(cmd, io, createRegistryClient, (c) =>
        commands.blobCommand(c, repo, digest, { output: opts.output, stdoutIsTTY: io.isTTY }),
      );
    });

  registerTransferCommands(program, io);
  registerWebhookCommands(program, io);
  registerHubCommands(program, io);
  registerAccountCommands(program, io);
  registerTokenCommands(program, io);
  registerOrgCommands(program, io);
  registerScoutCommands(program, io);
  registerEmulatorCommands(program, io);
  return program;
}
