/** The shared transfer suite (suites/transfer.ts) against the real CNCF distribution registry. */
import { transferSuite } from './suites/transfer.js';

transferSuite('distribution');
