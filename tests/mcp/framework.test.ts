/**
 * Framework pieces the tools lean on, tested on their own: a result the action itself cut, a tool's or
 * action's own hint for errors where the generic one would mislead, and the reserved `action` name.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AuthenticationError, NotFoundError } from '../../src/core/errors.js';
import { Secret } from '../../src/core/secret.js';
import { defineTool, param } from '../../src/mcp/action.js';
import { errorView } from '../../src/mcp/errors.js';
import { PartialResult, settle } from '../../src/mcp/result.js';

describe('PartialResult', () => {
  it('marks the envelope truncated with the note, and keeps redacting secrets in it', async () => {
    const settled = await settle(
      new PartialResult({ csv: 'a,b\r\n', token: new Secret('hidden-value-1') }, 'first 1 of 9 rows'),
      false,
    );
    expect(settled).toEqual({
      data: { csv: 'a,b\r\n', token: '[REDACTED]' },
      truncated: true,
      note: 'first 1 of 9 rows',
    });
  });
});

describe('errorView with a hint of its own', () => {
  const loginHint = (err: unknown) =>
    err instanceof AuthenticationError ? 'check the identifier and secret you gave' : undefined;

  it('uses the given hint where it answers, else the generic one', () => {
    const refused = new AuthenticationError('refused', { status: 401 });
    expect(errorView(refused, loginHint)).toMatchObject({
      http_status: 401,
      hint: 'check the identifier and secret you gave',
    });
    expect(errorView(refused).hint).toMatch(/server's credentials/);
    const missing = new NotFoundError('gone', { status: 404 });
    expect(errorView(missing, loginHint).hint).toMatch(/Nothing by that name/);
    expect(errorView(new Error('boom'), () => 'custom').hint).toBe('custom');
  });
});

describe('defineTool', () => {
  it('refuses a parameter named "action", which would be read as the routing key', () => {
    expect(() =>
      defineTool({
        name: 'hub_audit',
        title: 't',
        description: 'd',
        toggle: 'AUDITTOOL',
        rateLimit: 'hub',
        params: { action: param(z.string(), 'a filter') },
        actions: (action) => ({
          logs: action({ description: 'x', effect: 'read', optional: ['action'], run: () => null }),
        }),
      }),
    ).toThrow('hub_audit: no parameter may be called "action"');
  });
});
