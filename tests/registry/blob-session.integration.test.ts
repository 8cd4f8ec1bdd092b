/** The upload-session suite (suites/blob-session.ts) against a real CNCF distribution registry. */
import { blobSessionSuite } from './suites/blob-session.js';

blobSessionSuite('distribution');
