/** The shared auth suite (suites/auth.ts) against the emulator's built-in OCI registry, stored on disk. */
import { authSuite } from './suites/auth.js';

authSuite('builtin');
