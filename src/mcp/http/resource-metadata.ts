/**
 * RFC 9728 OAuth protected-resource metadata: the document an MCP client reads after a 401 (its URL is
 * in the `WWW-Authenticate: Bearer resource_metadata=…` challenge) to find the authorization server
 * that issues tokens for this server. Served at the path-aware well-known location of the resource
 * URL, and at the root one for clients that only look there.
 */
import { getOAuthProtectedResourceMetadataUrl } from '@modelcontextprotocol/server';
import { SERVER_NAME } from '../server.js';
import type { OAuthConfig } from './settings.js';

const WELL_KNOWN = '/.well-known/oauth-protected-resource';

export interface ProtectedResourceMetadata {
  /** Where the document is (the URL put into challenges). */
  url: string;
  /** The request paths that serve it. */
  paths: string[];
  document: Record<string, unknown>;
}

export function protectedResourceMetadata(oauth: OAuthConfig, resource: URL): ProtectedResourceMetadata {
  const url = getOAuthProtectedResourceMetadataUrl(resource);
  return {
    url,
    paths: [...new Set([new URL(url).pathname, WELL_KNOWN])],
    document: {
      resource: resource.href,
      authorization_servers: [oauth.issuer],
      bearer_methods_supported: ['header'],
      ...(oauth.requiredScopes.length ? { scopes_supported: oauth.requiredScopes } : {}),
      resource_name: SERVER_NAME,
    },
  };
}
