/**
 * dockerhub-api: the SDK. Front ends (CLI, MCP server, agent) have their own entry points, so importing
 * the SDK never loads their dependencies.
 */
export * from './core/index.js';
export * from './hub/index.js';
export * from './reference/index.js';
export * from './registry/index.js';
export * from './scout/index.js';
export * from './webhooks/index.js';
