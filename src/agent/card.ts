/**
 * The agent card (`/.well-known/agent-card.json`): the interfaces this server really serves (JSON-RPC
 * and HTTP+JSON, each at A2A 1.0 and, for older clients, 0.3), streaming on, the bearer scheme when a
 * token is required, and one skill per tool group the MCP server offers — taken from its tool list, so
 * the card follows whatever tools are enabled.
 */
import { A2A_PROTOCOL_VERSION, type AgentCard, type AgentSkill } from '@a2a-js/sdk';
import { duplicateInterfacesForLegacy } from '@a2a-js/sdk/compat/v0_3';
import { VERSION } from '../core/version.js';
import type { McpTool } from './mcp-connection.js';

export const JSONRPC_PATH = '/a2a/jsonrpc';
export const REST_PATH = '/a2a/rest';
export const BEARER_SCHEME = 'bearer';

/** Example requests per tool group (a group missing here simply has none). */
const EXAMPLES: Record<string, string[]> = {
  hub_repos: ["List acme's repositories", 'Which tags does acme/web have?', 'Make acme/api private'],
  hub_auth: ['List my personal access tokens', 'Which tokens expire this month?'],
  hub_org: ["Who are acme's members?", 'Show pending invites for acme'],
  hub_teams: ["Who is in acme's developers team?", 'Add bob to the release team'],
  hub_audit: ['What happened in acme last week?'],
  hub_scim: ['List the SCIM users of acme'],
  hub_admin: ['How much of my pull limit is left?', 'Who am I logged in as?'],
  hub_registry: ['Which platforms does acme/web:latest have?', 'Copy nginx:1.27 to my registry'],
  hub_scout: ["Which of acme's images have critical CVEs?", 'Compare acme/web:1.4.1 with 1.4.2'],
};

function oneLine(text: string | undefined, max = 400): string {
  const t = (text ?? '').replace(/\s+/g, ' ').trim();
  const actions = t.indexOf(' Actions:');
  const head = actions > 0 ? t.slice(0, actions) : t;
  return head.length > max ? `${head.slice(0, max - 1)}…` : head;
}

export function skillsOf(tools: readonly McpTool[]): AgentSkill[] {
  return tools.map((t) => ({
    id: t.name,
    name: t.title ?? t.annotations?.title ?? t.name,
    description: oneLine(t.description),
    tags: ['docker-hub', t.name.replace(/^hub_/, ''), ...(t.annotations?.readOnlyHint ? ['read-only'] : [])],
    examples: EXAMPLES[t.name] ?? [],
    inputModes: ['text/plain', 'application/json'],
    outputModes: ['text/plain', 'application/json'],
    securityRequirements: [],
  }));
}

export interface CardOptions {
  publicUrl: string;
  requiresToken: boolean;
  tools: readonly McpTool[];
}

export function agentCard(opts: CardOptions): AgentCard {
  const interfaces = duplicateInterfacesForLegacy(
    [
      {
        url: `${opts.publicUrl}${JSONRPC_PATH}`,
        protocolBinding: 'JSONRPC',
        tenant: '',
        protocolVersion: A2A_PROTOCOL_VERSION,
      },
      {
        url: `${opts.publicUrl}${REST_PATH}`,
        protocolBinding: 'HTTP+JSON',
        tenant: '',
        protocolVersion: A2A_PROTOCOL_VERSION,
      },
    ],
    ['JSONRPC', 'HTTP+JSON'],
  );
  return {
    name: 'dockerhub-agent',
    description:
      'Docker Hub and OCI registry work in plain language — repositories and tags, organizations, teams, ' +
      'tokens, audit logs, registry content and copies, Docker Scout CVEs — done through the dockerhub-mcp ' +
      'tools. Destructive actions wait for a person: the task goes to input-required with an approval ' +
      'request, answered by a data part {"approval": "approve" | "deny", "id": …} in the same task.',
    supportedInterfaces: interfaces,
    provider: undefined,
    version: VERSION,
    documentationUrl: `${opts.publicUrl}/`,
    capabilities: { streaming: true, pushNotifications: false, extensions: [], extendedAgentCard: false },
    securitySchemes: opts.requiresToken
      ? {
          [BEARER_SCHEME]: {
            scheme: {
              $case: 'httpAuthSecurityScheme',
              value: {
                scheme: 'Bearer',
                bearerFormat: '',
                description:
                  'The token the operator set in AGENT_AUTH_TOKEN, as Authorization: Bearer <token>.',
              },
            },
          },
        }
      : {},
    securityRequirements: opts.requiresToken ? [{ schemes: { [BEARER_SCHEME]: { list: [] } } }] : [],
    defaultInputModes: ['text/plain', 'application/json'],
    defaultOutputModes: ['text/plain', 'application/json'],
    skills: skillsOf(opts.tools),
    signatures: [],
  };
}
