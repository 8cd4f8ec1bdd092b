/** Registers the commands for the local Docker Hub emulator and the offline demo. Command modules load lazily inside actions. */
import { type Command, Option } from 'commander';
import { collect } from '../action.js';
import type { ProgramIO } from '../program.js';
import type { EmulatorFlags } from './emulator.js';

const registryModes = ['auto', 'distribution', 'builtin', 'none'];

export function registerEmulatorCommands(program: Command, io: ProgramIO): void {
  program
    .command('emulator')
    .description(
      "run a local Docker Hub on 127.0.0.1 (requests validated against Docker's OpenAPI spec) with a registry " +
        'beside it that trusts its tokens and syncs pushes into it; Ctrl-C stops both',
    )
    .option('--port <n>', 'Hub API port (default: any free port, printed on stderr)')
    .option('--host <address>', 'Hub API bind address (default 127.0.0.1; 0.0.0.0 in a container)')
    .option(
      '--public-url <url>',
      'the Hub API as clients reach it, if not where it listens (e.g. http://emulator:8000)',
    )
    .option('--registry-host <address>', 'registry bind address (default 127.0.0.1)')
    .option(
      '--registry-public-host <host:port>',
      'the registry as image references name it (e.g. emulator:5000)',
    )
    .option('--seed <file>', 'JSON seed: { users, orgs, repositories, webhooks }')
    .option(
      '--demo',
      'demo data instead of a seed: organization acme, user demo, repositories, teams, SCIM, two pushed images ' +
        'with Docker Scout data (password from DOCKERHUB_DEMO_PASSWORD, else fresh and printed)',
    )
    .option('--persist <file>', 'load the state from this file if it exists, save it after every change')
    .addOption(
      // No commander default: emulatorOptions reads absent as auto, so a mode given beside
      // --registry-url can be told apart (a conflict).
      new Option(
        '--registry <mode>',
        'registry beside the emulator (default: auto, i.e. distribution if on PATH, else built-in)',
      ).choices(registryModes),
    )
    .option('--registry-port <n>', 'registry port (default: any free port)')
    .option('--registry-url <url>', 'use a registry you run instead (nothing is spawned)')
    .option('--storage <dir>', 'keep registry blobs in this directory (default: a temp dir, removed on exit)')
    .option(
      '--fault <rule>',
      "inject failures, e.g. 'POST /v2/auth/token=429:5[:RETRY_AFTER]' (regex=status:times; repeatable)",
      collect,
    )
    .option('--latency <ms>', 'added latency per Hub API request')
    .option(
      '--no-validate',
      "serve requests without checking them against Docker's Hub API spec (said on stderr at start). " +
        "The spec is the package's specs/hub-api.json, or the file DOCKERHUB_HUB_SPEC names; without it the emulator does not start",
    )
    .action(async (f: EmulatorFlags) => {
      const { serveEmulator } = await import('./emulator.js');
      await serveEmulator(io, f);
    });

  program
    .command('demo')
    .description(
      'offline tour (no account, no network): start the emulator and a registry, log in, create a repository, ' +
        'push a generated image, watch its tag arrive in the Hub API, inspect it, delete it, stop',
    )
    .addOption(
      new Option('--registry <mode>', 'registry to run the tour against')
        .choices(['auto', 'distribution', 'builtin'])
        .default('auto'),
    )
    .action(async (f: { registry: 'auto' | 'distribution' | 'builtin' }) => {
      const { runDemo } = await import('./demo.js');
      await runDemo({ registry: f.registry, print: io.stdout });
    });
}
