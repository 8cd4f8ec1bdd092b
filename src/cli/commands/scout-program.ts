/** Registers the commands for Docker Scout. Command modules load lazily inside actions. */
import type { Command } from 'commander';
import type { ProgramIO } from '../program.js';

export function registerScoutCommands(_program: Command, _io: ProgramIO): void {}
