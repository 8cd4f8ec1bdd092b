/** Registers the commands for personal and organization access tokens, audit logs, SCIM. Command modules load lazily inside actions. */
import type { Command } from 'commander';
import type { ScimClient } from '../../hub/index.js';
import { collect, runConfirmed, runWithClient } from '../action.js';
import { createHubClient, createScimClient } from '../context.js';
import type { ProgramIO } from '../program.js';

const tokens = () => import('./tokens.js');

interface Flags {
  all?: boolean;
  pageSize?: string;
  label?: string;
  description?: string;
  scope?: string[];
  resource?: string[];
  expires?: string;
  active?: string;
  force?: boolean;
}

function registerPersonalTokens(program: Command, io: ProgramIO): void {
  const token = program.command('token').description('personal access tokens of the signed-in user');
  token
    .command('ls')
    .description('list your personal access tokens')
    .option('--all', 'walk every page')
    .option('--page-size <n>', 'tokens per page (1-100)')
    .action(async (f: Flags, cmd: Command) => {
      const m = await tokens();
      await runWithClient(cmd, io, createHubClient, (h) => m.tokenListCommand(h, f));
    });
  token
    .command('create')
    .description('create a token; its value is printed this once')
    .requiredOption('--label <label>', 'what the token is for')
    .option('--scope <scope>', 'repo:admin, repo:write, repo:read or repo:public_read (repeatable)', collect)
    .option('--expires <date>', 'expiry date or date-time (default: never)')
    .action(async (f: Flags, cmd: Command) => {
      const m = await tokens();
      await runWithClient(cmd, io, createHubClient, (h) => m.tokenCreateCommand(h, f));
      io.stderr(m.ONE_TIME_WARNING);
    });
  token
    .command('show')
    .description('show one token (never its value)')
    .argument('<uuid>')
    .action(async (uuid: string, _f: Flags, cmd: Command) => {
      const m = await tokens();
      await runWithClient(cmd, io, createHubClient, (h) => m.tokenShowCommand(h, uuid));
    });
  token
    .command('update')
    .description('relabel, deactivate or reactivate a token')
    .argument('<uuid>')
    .option('--label <label>', 'new label')
    .option('--active <true|false>', 'whether the token works')
    .action(async (uuid: string, f: Flags, cmd: Command) => {
      const m = await tokens();
      await runWithClient(cmd, io, createHubClient, (h) => m.tokenUpdateCommand(h, uuid, f));
    });
  token
    .command('rm')
    .description('delete a token: whatever uses it stops working (asks first)')
    .argument('<uuid>')
    .option('-f, --force', 'do not ask for confirmation')
    .action(async (uuid: string, f: Flags, cmd: Command) => {
      const m = await tokens();
      await runConfirmed(
        cmd,
        io,
        {
          question: `Delete access token ${uuid}? This cannot be undone.`,
          action: 'delete a token',
          force: f.force,
        },
        createHubClient,
        (h) => m.tokenDeleteCommand(h, uuid),
      );
    });
}

function registerOrgTokens(program: Command, io: ProgramIO): void {
  const oat = program
    .command('org-token')
    .description('organization access tokens (for automation; they log in as the organization)');
  oat
    .command('ls')
    .description("list an organization's access tokens")
    .argument('<org>')
    .option('--all', 'walk every page')
    .option('--page-size <n>', 'tokens per page (1-100)')
    .action(async (org: string, f: Flags, cmd: Command) => {
      const m = await tokens();
      await runWithClient(cmd, io, createHubClient, (h) => m.orgTokenListCommand(h, org, f));
    });
  oat
    .command('create')
    .description('create a token; its value is printed this once')
    .argument('<org>')
    .requiredOption('--label <label>', 'what the token is for')
    .option('--description <text>', 'longer description')
    .option(
      '--resource <type:path=scopes>',
      'e.g. repo:acme/*=repo-pull or org:acme=member-read (repeatable; at least one)',
      collect,
    )
    .option('--expires <date>', 'expiry date or date-time (default: never)')
    .action(async (org: string, f: Flags, cmd: Command) => {
      const m = await tokens();
      await runWithClient(cmd, io, createHubClient, (h) => m.orgTokenCreateCommand(h, org, f));
      io.stderr(m.ONE_TIME_WARNING);
    });
  oat
    .command('show')
    .description('show one token with its resources (never its value)')
    .argument('<org>')
    .argument('<id>')
    .action(async (org: string, id: string, _f: Flags, cmd: Command) => {
      const m = await tokens();
      await runWithClient(cmd, io, createHubClient, (h) => m.orgTokenShowCommand(h, org, id));
    });
  oat
    .command('update')
    .description('relabel, rescope, deactivate or reactivate a token')
    .argument('<org>')
    .argument('<id>')
    .option('--label <label>', 'new label')
    .option('--description <text>', 'new description')
    .option('--active <true|false>', 'whether the token works')
    .option('--resource <type:path=scopes>', 'replaces the resources (repeatable)', collect)
    .action(async (org: string, id: string, f: Flags, cmd: Command) => {
      const m = await tokens();
      await runWithClient(cmd, io, createHubClient, (h) => m.orgTokenUpdateCommand(h, org, id, f));
    });
  oat
    .command('rm')
    .description('delete a token: automation using it stops working (asks first)')
    .argument('<org>')
    .argument('<id>')
    .option('-f, --force', 'do not ask for confirmation')
    .action(async (org: string, id: string, f: Flags, cmd: Command) => {
      const m = await tokens();
      await runConfirmed(
        cmd,
        io,
        {
          question: `Delete access token ${id} of ${org}? This cannot be undone.`,
          action: 'delete a token',
          force: f.force,
        },
        createHubClient,
        (h) => m.orgTokenDeleteCommand(h, org, id),
      );
    });
}

function registerAudit(program: Command, io: ProgramIO): void {
  const audit = program.command('audit').description('audit logs of an organization or user account');
  audit
    .command('ls')
    .description('list events, newest first')
    .argument('<account>', 'organization or user')
    .option('--action <action>', 'only this action, e.g. repo.create (see `audit actions`)')
    .option('--actor <user>', 'only events by this user')
    .option('--name <name>', 'only events about this repository, organization or member')
    .option('--from <date>', 'from this date or date-time')
    .option('--to <date>', 'up to this date or date-time')
    .option('--all', 'walk every page')
    .option('--page-size <n>', 'events per page (1-100)')
    .action(async (account: string, f: Record<string, string | boolean>, cmd: Command) => {
      const m = await import('./audit.js');
      await runWithClient(cmd, io, createHubClient, (h) => m.auditListCommand(h, account, f));
    });
  audit
    .command('actions')
    .description('list the actions events can be filtered by')
    .argument('<account>', 'organization or user')
    .action(async (account: string, _f: Flags, cmd: Command) => {
      const m = await import('./audit.js');
      await runWithClient(cmd, io, createHubClient, (h) => m.auditActionsCommand(h, account));
    });
}

interface ScimFlags {
  filter?: string;
  userName?: string;
  count?: string;
  all?: boolean;
  givenName?: string;
  familyName?: string;
  dockerId?: string;
  email?: string;
  active?: string;
  force?: boolean;
}

function registerScim(program: Command, io: ProgramIO): void {
  const group = program
    .command('scim')
    .description('SCIM 2.0 provisioning of an organization (token from DOCKERHUB_SCIM_TOKEN)');
  const commands = () => import('./scim.js');
  group
    .command('config')
    .description('what the SCIM service supports')
    .action(async (_f: ScimFlags, cmd: Command) => {
      const m = await commands();
      await runWithClient(cmd, io, createScimClient, (s) => m.scimConfigCommand(s));
    });
  group
    .command('resource-types')
    .description('list the resource types, or show one')
    .argument('[name]')
    .action(async (name: string | undefined, _f: ScimFlags, cmd: Command) => {
      const m = await commands();
      await runWithClient(cmd, io, createScimClient, (s) => m.scimResourceTypesCommand(s, name));
    });
  group
    .command('schemas')
    .description('list the schemas, or show one with its attributes')
    .argument('[id]')
    .action(async (id: string | undefined, _f: ScimFlags, cmd: Command) => {
      const m = await commands();
      await runWithClient(cmd, io, createScimClient, (s) => m.scimSchemasCommand(s, id));
    });
  const users = group.command('users').description('users provisioned in the organization');
  users
    .command('ls')
    .description('list users')
    .option('--user-name <email>', 'only this user (userName eq …)')
    .option('--filter <expression>', 'a SCIM filter, e.g. \'userName sw "jon"\'')
    .option('--count <n>', 'users per page (1-200)')
    .option('--all', 'walk every page')
    .action(async (f: ScimFlags, cmd: Command) => {
      const m = await commands();
      await runWithClient(cmd, io, createScimClient, (s) => m.scimUserListCommand(s, f));
    });
  users
    .command('show')
    .description('show one user')
    .argument('<id>')
    .action(async (id: string, _f: ScimFlags, cmd: Command) => {
      const m = await commands();
      await runWithClient(cmd, io, createScimClient, (s) => m.scimUserShowCommand(s, id));
    });
  users
    .command('create')
    .description('provision a user by email: a new account, or an existing one, added to the organization')
    .argument('<email>')
    .option('--given-name <name>')
    .option('--family-name <name>')
    .option('--docker-id <username>', 'username for a new account')
    .action(async (email: string, f: ScimFlags, cmd: Command) => {
      const m = await commands();
      await runWithClient(cmd, io, createScimClient, (s) => m.scimUserCreateCommand(s, email, f));
    });
  users
    .command('replace')
    .description('replace name, email and active flag; --active false removes the user from the organization')
    .argument('<id>')
    .requiredOption('--active <true|false>', 'whether the user stays active')
    .option('--given-name <name>')
    .option('--family-name <name>')
    .option('--email <email>', 'primary email')
    .option('-f, --force', 'do not ask before deactivating')
    .action(async (id: string, f: ScimFlags, cmd: Command) => {
      const m = await commands();
      const active = m.parseActive(f.active);
      const replace = (s: ScimClient) => m.scimUserReplaceCommand(s, id, active, f);
      if (active) await runWithClient(cmd, io, createScimClient, replace);
      else
        await runConfirmed(
          cmd,
          io,
          {
            question: `Deactivate SCIM user ${id}? This removes them from the organization.`,
            action: 'deactivate a user',
            force: f.force,
          },
          createScimClient,
          replace,
        );
    });
}

export function registerTokenCommands(program: Command, io: ProgramIO): void {
  registerPersonalTokens(program, io);
  registerOrgTokens(program, io);
  registerAudit(program, io);
  registerScim(program, io);
}
