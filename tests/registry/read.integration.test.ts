/** The shared read suite (suites/read.ts) against the real CNCF distribution registry. */
import { readSuite } from './suites/read.js';

readSuite('distribution');
