/** Registers the commands for login, logout, jwt, search, the current user's organizations. Command modules load lazily inside actions. */
import { type Command, Option } from 'commander';
import { run, runWithClient } from '../action.js';
import { createHubClient } from '../context.js';
import type { ProgramIO } from '../program.js';
import type { LoginInput } from './account.js';

/** What the login command may additionally be given (tests pass these; the CLI uses the process's stdin). */
export interface AccountIO extends ProgramIO {
  readStdin?: () => Promise<string>;
  prompt?: (question: string, hidden: boolean) => Promise<string>;
  stdinIsTTY?: boolean;
}

function loginInput(io: AccountIO): LoginInput {
  return {
    readStdin: io.readStdin ?? (async () => (await import('../terminal-input.js')).readAll()),
    prompt: io.prompt ?? (async (q, hidden) => (await import('../terminal-input.js')).ask(q, hidden)),
    interactive: io.stdinIsTTY ?? Boolean(process.stdin.isTTY),
  };
}

export function registerAccountCommands(program: Command, io: AccountIO): void {
  program
    .command('login')
    .description(
      'log in to Docker Hub: verifies the credentials, then stores them where docker keeps its login (credential helper or ~/.docker/config.json)',
    )
    .option('-u, --username <user>', 'Docker Hub username (asked on a terminal when omitted)')
    .option('--password-stdin', 'read the password or access token from stdin')
    .option('--no-store', 'verify the credentials only; store nothing')
    // Caught only to refuse it: a password argument is visible to other users and kept in shell history.
    .addOption(new Option('-p, --password [value]').hideHelp())
    .action(
      async (
        f: { username?: string; passwordStdin?: boolean; store?: boolean; password?: unknown },
        cmd: Command,
      ) => {
        if (f.password !== undefined) {
          const { ValidationError } = await import('../../core/errors.js');
          throw new ValidationError(
            '--password is refused: a password argument is visible to other users and kept in shell history; use --password-stdin or the prompt',
          );
        }
        const { loginCommand } = await import('./account.js');
        await run(cmd, io, (g) =>
          loginCommand(loginInput(io), {
            username: f.username,
            passwordStdin: f.passwordStdin,
            store: f.store,
            hubUrl: g.hubUrl,
          }),
        );
      },
    );

  program
    .command('logout')
    .description('remove the Docker Hub login that login (or docker login) stored')
    .action(async (_f: unknown, cmd: Command) => {
      const { logoutCommand } = await import('./account.js');
      await run(cmd, io, () => logoutCommand());
    });

  program
    .command('jwt')
    .description(
      'print a Docker Hub JWT for the configured credentials (POST /v2/auth/token), for scripts calling the Hub API',
    )
    .option('--legacy', 'log in with the deprecated POST /v2/users/login instead')
    .option('--otp <code>', 'with --legacy: the one-time code of an account with two-factor authentication')
    .addHelpText(
      'after',
      `
The token is a credential: whoever has it acts as you on Docker Hub until it expires (10 minutes for
POST /v2/auth/token). Do not log, paste or commit it, and keep it out of command arguments (other users
can read those); for example:
  export DOCKERHUB_JWT="$(dockerhub jwt)"   # dockerhub and the SDK use it as is
  dockerhub jwt | sed 's/^/Authorization: Bearer /' | curl -sH @- https://hub.docker.com/v2/namespaces/acme/repositories
Stdout gets the token and a newline, nothing else; --json gives { "token", "expires_at" } (from its exp).
--legacy with a password on an account with two-factor authentication needs --otp CODE (the 6-8 digit
code from your authenticator app); a personal access token needs no code.`,
    )
    .action(async (f: { legacy?: boolean; otp?: string }, cmd: Command) => {
      const { jwtCommand } = await import('./jwt.js');
      await runWithClient(cmd, io, createHubClient, (h) => jwtCommand(h, f));
    });

  program
    .command('search')
    .description('search Docker Hub for public repositories (search v4, an undocumented endpoint)')
    .argument('<term>', 'what to look for in names and descriptions')
    .option('--limit <n>', 'at most n results (default 25)')
    .option('--official', 'only Docker Official Images')
    .addOption(new Option('--type <type>', 'kind of content').choices(['image', 'plugin', 'extension']))
    .action(async (term: string, f: { limit?: string; official?: boolean; type?: string }, cmd: Command) => {
      const { searchCommand } = await import('./account.js');
      await runWithClient(cmd, io, createHubClient, (h) => searchCommand(h, term, f));
    });

  program
    .command('orgs')
    .description('list the organizations you belong to (an undocumented endpoint)')
    .option('--all', 'walk every page')
    .option('--page-size <n>', 'organizations per page (1-100)')
    .action(async (f: { all?: boolean; pageSize?: string }, cmd: Command) => {
      const { orgsCommand } = await import('./account.js');
      await runWithClient(cmd, io, createHubClient, (h) => orgsCommand(h, f));
    });
}
