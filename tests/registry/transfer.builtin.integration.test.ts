/** The shared transfer suite (suites/transfer.ts) against the emulator's built-in OCI registry, stored on disk. */
import { transferSuite } from './suites/transfer.js';

transferSuite('builtin');
