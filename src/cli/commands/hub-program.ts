/** Registers the Hub management commands. Command modules load lazily. */
import type { Command } from 'commander';
import { runConfirmed, runWithClient } from '../action.js';
import { createHubClient } from '../context.js';
import type { ProgramIO } from '../program.js';

interface Flags {
  all?: boolean;
  pageSize?: string;
  name?: string;
  ordering?: string;
  description?: string;
  fullDescription?: string;
  private?: boolean;
  force?: boolean;
}

const load = () => import('./hub.js');

/** Help of the `exists` commands: the exit status is the answer. */
const existsHelp = (example: string, what: string) => `
Exit status: 0 when ${what} exists, 1 when not (a private repository you may not see counts as not
existing), so scripts can write:  if dockerhub ${example}; then …; fi
With --json it prints { "exists": true|false }. Other failures (network, credentials) print an error on
stderr and also exit non-zero (usage errors: 2).`;

export function registerHubCommands(program: Command, io: ProgramIO): void {
  program.option(
    '--hub-url <url>',
    'Docker Hub API base URL (default https://hub.docker.com, or DOCKERHUB_API_URL)',
  );

  program
    .command('whoami')
    .description('show who the configured Docker Hub credentials belong to (decoded from the JWT)')
    .action(async (_f: Flags, cmd: Command) => {
      const m = await load();
      await runWithClient(cmd, io, createHubClient, (h) => m.whoamiCommand(h));
    });

  const repo = program.command('repo').description('Docker Hub repositories');
  repo
    .command('ls')
    .description('list the repositories of a user or organization')
    .argument('<namespace>', 'user or organization')
    .option('--all', 'walk every page')
    .option('--page-size <n>', 'repositories per page (1-100)')
    .option('--name <filter>', 'only names containing this')
    .option('--ordering <field>', 'name, -name, last_updated, -last_updated, pull_count, -pull_count')
    .action(async (namespace: string, f: Flags, cmd: Command) => {
      const m = await load();
      await runWithClient(cmd, io, createHubClient, (h) => m.repoListCommand(h, namespace, f));
    });
  repo
    .command('show')
    .description('show one repository')
    .argument('<namespace/repository>')
    .action(async (arg: string, _f: Flags, cmd: Command) => {
      const m = await load();
      await runWithClient(cmd, io, createHubClient, (h) => m.repoShowCommand(h, arg));
    });
  repo
    .command('exists')
    .description('check whether a repository exists: prints yes or no, exits 0 or 1')
    .argument('<namespace/repository>')
    .addHelpText('after', existsHelp('repo exists acme/app', 'the repository'))
    .action(async (arg: string, _f: Flags, cmd: Command) => {
      const m = await load();
      await runWithClient(cmd, io, createHubClient, (h) => m.repoExistsCommand(h, arg));
    });
  repo
    .command('create')
    .description('create a repository')
    .argument('<namespace/repository>')
    .option('--description <text>', 'short description')
    .option('--full-description <markdown>', 'overview (README)')
    .option('--private', 'make it private')
    .action(async (arg: string, f: Flags, cmd: Command) => {
      const m = await load();
      await runWithClient(cmd, io, createHubClient, (h) => m.repoCreateCommand(h, arg, f));
    });
  repo
    .command('update')
    .description('change the description or overview of a repository (undocumented endpoint)')
    .argument('<namespace/repository>')
    .option('--description <text>', 'short description')
    .option('--full-description <markdown>', 'overview (README)')
    .action(async (arg: string, f: Flags, cmd: Command) => {
      const m = await load();
      await runWithClient(cmd, io, createHubClient, (h) => m.repoUpdateCommand(h, arg, f));
    });
  repo
    .command('rm')
    .description('delete a repository and all its tags (asks first; undocumented endpoint)')
    .argument('<namespace/repository>')
    .option('-f, --force', 'do not ask for confirmation')
    .action(async (arg: string, f: Flags, cmd: Command) => {
      const m = await load();
      await runConfirmed(
        cmd,
        io,
        {
          question: `Delete repository ${arg} and all its tags? This cannot be undone.`,
          action: 'delete',
          force: f.force,
        },
        createHubClient,
        (h) => m.repoDeleteCommand(h, arg),
      );
    });

  const tag = program
    .command('hub-tag')
    .description('tags as Docker Hub lists them (sizes, last pusher); see also `tags`');
  tag
    .command('ls')
    .description('list the tags of a repository')
    .argument('<namespace/repository>')
    .option('--all', 'walk every page')
    .option('--page-size <n>', 'tags per page (1-100)')
    .action(async (arg: string, f: Flags, cmd: Command) => {
      const m = await load();
      await runWithClient(cmd, io, createHubClient, (h) => m.hubTagListCommand(h, arg, f));
    });
  tag
    .command('show')
    .description('show one tag')
    .argument('<namespace/repository:tag>')
    .action(async (arg: string, _f: Flags, cmd: Command) => {
      const m = await load();
      await runWithClient(cmd, io, createHubClient, (h) => m.hubTagShowCommand(h, arg));
    });
  tag
    .command('exists')
    .description(
      'check whether a tag exists or, without :TAG, whether the repository has any tag: prints yes or no, exits 0 or 1',
    )
    .argument('<namespace/repository[:tag]>')
    .addHelpText('after', existsHelp('hub-tag exists acme/app:1.0', 'the tag (without :TAG, any tag)'))
    .action(async (arg: string, _f: Flags, cmd: Command) => {
      const m = await load();
      await runWithClient(cmd, io, createHubClient, (h) => m.hubTagExistsCommand(h, arg));
    });
  tag
    .command('rm')
    .description('delete a tag (asks first; undocumented endpoint)')
    .argument('<namespace/repository:tag>')
    .option('-f, --force', 'do not ask for confirmation')
    .action(async (arg: string, f: Flags, cmd: Command) => {
      const m = await load();
      await runConfirmed(
        cmd,
        io,
        { question: `Delete tag ${arg}? This cannot be undone.`, action: 'delete', force: f.force },
        createHubClient,
        (h) => m.hubTagDeleteCommand(h, arg),
      );
    });
}
