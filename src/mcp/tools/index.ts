/**
 * Every tool the server can serve, in the order tools/list shows them. One registry: selection,
 * dynamic mode and the tool-list snapshot all read it.
 */
import type { ToolSpec } from '../action.js';
import { registryTool } from './registry.js';
import { reposTool } from './repos.js';
import { scoutTool } from './scout.js';

export const ALL_TOOLS: readonly ToolSpec[] = [reposTool, registryTool, scoutTool];
