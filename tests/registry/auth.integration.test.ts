/** The shared auth suite (suites/auth.ts) against the real CNCF distribution registry. */
import { authSuite } from './suites/auth.js';

authSuite('distribution');
