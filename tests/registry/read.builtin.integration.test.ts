/** The shared read suite (suites/read.ts) against the emulator's built-in OCI registry, stored on disk. */
import { readSuite } from './suites/read.js';

readSuite('builtin');
