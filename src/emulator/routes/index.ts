/** Every route of the emulator, one module per Hub resource. Add a module's routes here. */
import type { EmulatorEnv, Route } from '../http.js';
import { accessTokenRoutes } from './access-tokens.js';
import { authRoutes } from './auth.js';
import { repositoryRoutes } from './repositories.js';
import { scoutRoutes } from './scout.js';
import { tagRoutes } from './tags.js';

export function allRoutes(env: EmulatorEnv): Route[] {
  return [
    ...authRoutes(env),
    ...repositoryRoutes(env),
    ...tagRoutes(env),
    ...accessTokenRoutes(env),
    // Docker Scout
    ...scoutRoutes(env),
  ];
}
