export {
  DEMO_ORG,
  DEMO_USER,
  type DemoEmulator,
  type DemoEmulatorOptions,
  demoSeed,
  startDemoEmulator,
} from './demo-data.js';
export { type DemoImage, writeDemoImage } from './demo-image.js';
export {
  type DistributionRegistryOptions,
  findDistributionBinary,
  startDistributionRegistry,
} from './distribution.js';
export { EMULATED_ROLES, type EmulatedRole, OrgAdmin } from './org-state.js';
export { readStateFile, StateFileWriter } from './persist.js';
export {
  type EmulatorRegistry,
  type ExternalRegistry,
  REGISTRY_MODES,
  type RegistryMode,
  startRegistryFor,
} from './registry-launch.js';
export {
  EVENTS_SECRET_HEADER,
  NOTIFICATION_MEDIA_TYPE,
  parseNotificationEnvelope,
} from './registry-notifications.js';
export { RegistrySync } from './registry-sync.js';
export type { RegistryEvent, RegistryOptions, RegistryTokenAuth, RunningRegistry } from './registry-types.js';
export {
  type EmulatorOptions,
  type FaultRule,
  type RegistryEventsEndpoint,
  type ResponseViolation,
  type RunningEmulator,
  startEmulator,
} from './server.js';
export { createSigningKey, type SigningKey } from './signing-key.js';
export {
  loadSpecValidator,
  type SpecAnswer,
  type SpecCheck,
  type SpecValidator,
} from './spec.js';
export { defaultScoutSchemaPath, defaultSpecPath } from './spec-files.js';
export {
  type AuditEntry,
  type EmulatedWebhook,
  EmulatorState,
  type Seed,
  type SeedOrg,
  type SeedOrgMember,
} from './state.js';
export {
  type Access,
  parseScope,
  REGISTRY_SERVICE,
  TOKEN_ISSUER,
  TokenService,
  type TokenSubject,
} from './token-service.js';
