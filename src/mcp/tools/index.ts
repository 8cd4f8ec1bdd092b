/**
 * Every tool the server can serve, in the order tools/list shows them. One registry: selection,
 * dynamic mode and the tool-list snapshot all read it.
 */
import type { ToolSpec } from '../action.js';
import { adminTool } from './admin.js';
import { auditTool } from './audit.js';
import { authTool } from './auth.js';
import { orgTool } from './org.js';
import { registryTool } from './registry.js';
import { reposTool } from './repos.js';
import { scimTool } from './scim.js';
import { scoutTool } from './scout.js';
import { teamsTool } from './teams.js';

export const ALL_TOOLS: readonly ToolSpec[] = [
  authTool,
  reposTool,
  orgTool,
  teamsTool,
  auditTool,
  scimTool,
  adminTool,
  registryTool,
  scoutTool,
];
