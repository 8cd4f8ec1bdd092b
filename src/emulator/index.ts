export { type EmulatorOptions, type FaultRule, type RunningEmulator, startEmulator } from './server.js';
export { defaultSpecPath, loadSpecValidator, type SpecCheck, type SpecValidator } from './spec.js';
export { type AuditEntry, EmulatorState, type Seed } from './state.js';
