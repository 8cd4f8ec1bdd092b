/** Registers the commands for organizations: settings, members, invites, teams; repository permissions and immutable tags. Command modules load lazily inside actions. */
import type { Command } from 'commander';
import type { HubClient } from '../../hub/index.js';
import { collect, runConfirmed, runWithClient } from '../action.js';
import { createHubClient } from '../context.js';
import type { ProgramIO } from '../program.js';
import type { CommandResult } from './registry-read.js';

async function load() {
  const [org, team, repoAdmin] = await Promise.all([
    import('./org.js'),
    import('./team.js'),
    import('./repo-admin.js'),
  ]);
  return { org, team, repoAdmin };
}
type Modules = Awaited<ReturnType<typeof load>>;

interface Flags {
  force?: boolean;
  all?: boolean;
  pageSize?: string;
  search?: string;
  restrictedImages?: string;
  allowOfficial?: string;
  allowVerified?: string;
  role?: string;
  type?: string;
  invites?: boolean;
  team?: string;
  dryRun?: boolean;
  user?: string;
  name?: string;
  replace?: boolean;
  enable?: boolean;
  disable?: boolean;
  rule?: string[];
}

type Fn = (hub: HubClient, m: Modules) => Promise<CommandResult>;

export function registerOrgCommands(program: Command, io: ProgramIO): void {
  /** Loads the command modules, then runs `fn` with a Hub client; actConfirmed asks first. */
  const act = async (cmd: Command, fn: Fn) => {
    const m = await load();
    await runWithClient(cmd, io, createHubClient, (h) => fn(h, m));
  };
  const actConfirmed = async (
    cmd: Command,
    question: string,
    action: string,
    force: boolean | undefined,
    fn: Fn,
  ) => {
    const m = await load();
    await runConfirmed(cmd, io, { question, action, force }, createHubClient, (h) => fn(h, m));
  };

  const org = program.command('org').description('Docker Hub organizations: settings, members, invites');

  const settings = org.command('settings').description('organization settings (restricted images)');
  settings
    .command('show')
    .description('show the settings of an organization')
    .argument('<org>')
    .action(async (name: string, _f: Flags, cmd: Command) => {
      await act(cmd, (h, m) => m.org.settingsShowCommand(h, name));
    });
  settings
    .command('set')
    .description('change settings (owners only; asks first): flags take on or off')
    .argument('<org>')
    .option('--restricted-images <on|off>', 'restrict which images members may use')
    .option('--allow-official <on|off>', 'with restricted images: allow Docker Official Images')
    .option('--allow-verified <on|off>', 'with restricted images: allow Verified Publisher images')
    .option('-f, --force', 'do not ask for confirmation')
    .action(async (name: string, f: Flags, cmd: Command) => {
      const m = await load();
      const changes = m.org.settingsChanges(f);
      await actConfirmed(
        cmd,
        `Change the settings of organization ${name}?`,
        'change organization settings',
        f.force,
        (h) => m.org.settingsSetCommand(h, name, changes),
      );
    });

  const members = org.command('members').description('members of an organization');
  members
    .command('ls')
    .description('list members (first page; --all for every page)')
    .argument('<org>')
    .option('--role <role>', 'only owner, editor or member')
    .option('--search <text>', 'username, name or (for owners) email containing this')
    .option('--type <type>', 'all, member or invitee')
    .option('--invites', 'include pending invites')
    .option('--all', 'walk every page')
    .option('--page-size <n>', 'members per page (1-100)')
    .action(async (name: string, f: Flags, cmd: Command) => {
      await act(cmd, (h, m) => m.org.memberListCommand(h, name, f));
    });
  members
    .command('export')
    .description('export members and pending invites as CSV (owners only), to stdout or a file')
    .argument('<org>')
    .option('-o, --output <file>', 'write to this file (atomically: a temp file renamed when complete)')
    .action(async (name: string, f: { output?: string }, cmd: Command) => {
      await act(cmd, (h, m) => m.org.memberExportCommand(h, name, f.output));
    });
  members
    .command('set-role')
    .description("change a member's role (owners only)")
    .argument('<org>')
    .argument('<user>')
    .argument('<role>', 'owner, editor or member')
    .action(async (name: string, user: string, role: string, _f: Flags, cmd: Command) => {
      await act(cmd, (h, m) => m.org.memberSetRoleCommand(h, name, user, role));
    });
  members
    .command('rm')
    .description('remove a member from the organization and all its teams (asks first)')
    .argument('<org>')
    .argument('<user>')
    .option('-f, --force', 'do not ask for confirmation')
    .action(async (name: string, user: string, f: Flags, cmd: Command) => {
      await actConfirmed(
        cmd,
        `Remove ${user} from organization ${name}?`,
        'remove a member',
        f.force,
        (h, m) => m.org.memberRemoveCommand(h, name, user),
      );
    });

  const invites = org.command('invites').description('invitations to an organization');
  invites
    .command('ls')
    .description('list pending invites (owners only)')
    .argument('<org>')
    .action(async (name: string, _f: Flags, cmd: Command) => {
      await act(cmd, (h, m) => m.org.inviteListCommand(h, name));
    });
  invites
    .command('send')
    .description('invite people by Docker ID or email')
    .argument('<org>')
    .argument('<invitee...>', 'Docker IDs or email addresses')
    .option('--role <role>', 'owner, editor or member')
    .option('--team <team>', 'team to join')
    .option('--dry-run', 'report what would happen; invite nobody')
    .action(async (name: string, invitees: string[], f: Flags, cmd: Command) => {
      await act(cmd, (h, m) => m.org.inviteSendCommand(h, name, invitees, f));
    });
  invites
    .command('resend')
    .description('send a pending invite again')
    .argument('<id>')
    .action(async (id: string, _f: Flags, cmd: Command) => {
      await act(cmd, (h, m) => m.org.inviteResendCommand(h, id));
    });
  invites
    .command('cancel')
    .description('cancel a pending invite (asks first)')
    .argument('<id>')
    .option('-f, --force', 'do not ask for confirmation')
    .action(async (id: string, f: Flags, cmd: Command) => {
      await actConfirmed(cmd, `Cancel invite ${id}?`, 'cancel an invite', f.force, (h, m) =>
        m.org.inviteCancelCommand(h, id),
      );
    });

  const team = program
    .command('team')
    .description("teams of an organization (Docker's API calls them groups)");
  team
    .command('ls')
    .description('list the teams of an organization')
    .argument('<org>')
    .option('--search <text>', 'team names containing this')
    .option('--user <username>', "only this user's teams")
    .option('--all', 'walk every page')
    .option('--page-size <n>', 'teams per page (1-100)')
    .action(async (name: string, f: Flags, cmd: Command) => {
      await act(cmd, (h, m) => m.team.teamListCommand(h, name, f));
    });
  team
    .command('create')
    .description('create a team (owners only)')
    .argument('<org/team>')
    .action(async (arg: string, _f: Flags, cmd: Command) => {
      await act(cmd, (h, m) => m.team.teamCreateCommand(h, arg));
    });
  team
    .command('show')
    .description('show a team')
    .argument('<org/team>')
    .action(async (arg: string, _f: Flags, cmd: Command) => {
      await act(cmd, (h, m) => m.team.teamShowCommand(h, arg));
    });
  team
    .command('update')
    .description('rename a team (owners only)')
    .argument('<org/team>')
    .option('--name <name>', 'new name')
    .option('--replace', "replace the team's details whole (PUT) instead of changing only what is given")
    .action(async (arg: string, f: Flags, cmd: Command) => {
      await act(cmd, (h, m) => m.team.teamUpdateCommand(h, arg, f));
    });
  team
    .command('rm')
    .description('delete a team and its repository permissions (asks first)')
    .argument('<org/team>')
    .option('-f, --force', 'do not ask for confirmation')
    .action(async (arg: string, f: Flags, cmd: Command) => {
      await actConfirmed(
        cmd,
        `Delete team ${arg}? This cannot be undone.`,
        'delete a team',
        f.force,
        (h, m) => m.team.teamDeleteCommand(h, arg),
      );
    });

  const teamMembers = team.command('members').description('who is in a team');
  teamMembers
    .command('ls')
    .description('list the members of a team')
    .argument('<org/team>')
    .option('--search <text>', 'username, name or (for owners) email containing this')
    .option('--all', 'walk every page')
    .option('--page-size <n>', 'members per page (1-100)')
    .action(async (arg: string, f: Flags, cmd: Command) => {
      await act(cmd, (h, m) => m.team.teamMemberListCommand(h, arg, f));
    });
  teamMembers
    .command('add')
    .description('add an organization member to a team (owners only)')
    .argument('<org/team>')
    .argument('<user>', 'Docker ID or email of an organization member')
    .action(async (arg: string, user: string, _f: Flags, cmd: Command) => {
      await act(cmd, (h, m) => m.team.teamMemberAddCommand(h, arg, user));
    });
  teamMembers
    .command('rm')
    .description('remove a user from a team (asks first)')
    .argument('<org/team>')
    .argument('<user>')
    .option('-f, --force', 'do not ask for confirmation')
    .action(async (arg: string, user: string, f: Flags, cmd: Command) => {
      await actConfirmed(cmd, `Remove ${user} from team ${arg}?`, 'remove a team member', f.force, (h, m) =>
        m.team.teamMemberRemoveCommand(h, arg, user),
      );
    });

  const repo = program.commands.find((c) => c.name() === 'repo') ?? program.command('repo');
  repo
    .command('grant')
    .description("give a team read, write or admin access to an organization's repository")
    .argument('<namespace/repository>')
    .argument('<team>', 'team name or numeric id')
    .argument('<permission>', 'read, write or admin')
    .action(async (arg: string, teamName: string, permission: string, _f: Flags, cmd: Command) => {
      await act(cmd, (h, m) => m.repoAdmin.repoGrantCommand(h, arg, teamName, permission));
    });
  const immutable = repo
    .command('immutable-tags')
    .description('show or set immutable tags; `verify` lists the tags a rule matches')
    .argument('<namespace/repository>')
    .option('--enable', 'make tags immutable (those matching --rule, or every tag when there are no rules)')
    .option('--disable', 'make every tag mutable again (rules are kept)')
    .option(
      '--rule <regex>',
      'rule (RE2 regular expression); repeatable; replaces the current rules',
      collect,
    )
    .action(async (arg: string, f: Flags, cmd: Command) => {
      await act(cmd, (h, m) => m.repoAdmin.repoImmutableTagsCommand(h, arg, f));
    });
  immutable
    .command('verify')
    .description('list the existing tags a rule matches')
    .argument('<namespace/repository>')
    .argument('<regex>')
    .action(async (arg: string, regex: string, _f: Flags, cmd: Command) => {
      await act(cmd, (h, m) => m.repoAdmin.repoImmutableVerifyCommand(h, arg, regex));
    });
}
