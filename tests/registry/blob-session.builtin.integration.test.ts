/** The upload-session suite (suites/blob-session.ts) against the emulator's built-in OCI registry. */
import { blobSessionSuite } from './suites/blob-session.js';

blobSessionSuite('builtin');
