/** Secrets stay hidden in every printed form: Secret values, redacted text/URLs/objects, logs, errors. */
import { Writable } from 'node:stream';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  BadRequestError,
  ConflictError,
  DestructiveOperationBlockedError,
  InternalServerError,
  MethodNotAllowedError,
  makeHttpError,
  NotFoundError,
  PermissionDeniedError,
  RangeNotSatisfiableError,
  RateLimitError,
  UnprocessableEntityError,
} from '../../src/core/errors.js';
import { createLogger } from '../../src/core/logger.js';
import { redactHeaders, redactText, redactUrl, redactValue } from '../../src/core/redact.js';
import { Secret } from '../../src/core/secret.js';

const SENTINEL = 'SENTINEL-s3cr3t-do-not-leak';

describe('Secret', () => {
  it('prints as [REDACTED] in every form and reveals only on request', () => {
    const s = new Secret(SENTINEL);
    for (const text of [String(s), `${s}`, JSON.stringify({ s }), inspect(s), inspect({ nested: { s } })]) {
      expect(text).not.toContain(SENTINEL);
      expect(text).toContain('[REDACTED]');
    }
    expect(s.reveal()).toBe(SENTINEL);
    expect(Secret.from(s)).toBe(s);
  });
});

describe('redaction', () => {
  it('strips URL userinfo and credential query parameters', () => {
    const url = redactUrl('https://user:pw-123456@reg.example/v2/?token=abcdef&n=2&X-Amz-Signature=zzz');
    expect(url).toBe('https://reg.example/v2/?token=%5BREDACTED%5D&n=2&X-Amz-Signature=%5BREDACTED%5D');
  });

  it('scrubs Bearer/Basic values, Docker PATs, JWTs and key=value secrets from text', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXZhbHVl';
    const text = redactText(
      `Authorization: Bearer abcdefghijkl; Basic dXNlcjpwYXNz; dckr_pat_0123456789abcdef ${jwt} password=hunter22`,
    );
    expect(text).toBe(
      'Authorization: Bearer [REDACTED]; Basic [REDACTED]; [REDACTED] [REDACTED] password=[REDACTED]',
    );
  });

  it('hides sensitive headers and keys at any depth, and survives cycles', () => {
    expect(redactHeaders({ Authorization: 'Bearer x', 'content-type': 'application/json' })).toEqual({
      Authorization: '[REDACTED]',
      'content-type': 'application/json',
    });
    const obj: Record<string, unknown> = { a: { password: 'p', list: [{ token: 't' }], ok: 1 } };
    obj.self = obj;
    expect(redactValue(obj)).toEqual({
      a: { password: '[REDACTED]', list: [{ token: '[REDACTED]' }], ok: 1 },
      self: '[Circular]',
    });
  });

  it('never lets a registered secret through redactText, whatever surrounds it', () => {
    const secret = new Secret('pr0perty-s3cret-value');
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(redactText(`${a}${secret.reveal()}${b}`)).not.toContain(secret.reveal());
      }),
    );
  });
});

describe('logger', () => {
  function capture() {
    let text = '';
    const stream = new Writable({
      write(chunk, _enc, cb) {
        text += chunk;
        cb();
      },
    });
    return { stream, text: () => text };
  }

  it('is silent by default', () => {
    const out = capture();
    createLogger({ destination: out.stream, level: undefined }).error({ a: 1 }, 'nothing');
    expect(out.text()).toBe(process.env.DOCKERHUB_LOG_LEVEL ? out.text() : '');
  });

  it('never writes a secret, whatever key or form it comes in', () => {
    const out = capture();
    const log = createLogger({ destination: out.stream, level: 'trace' });
    new Secret(SENTINEL);
    log.debug({ headers: { authorization: `Bearer ${SENTINEL}` } }, 'request');
    log.info({ password: SENTINEL, nested: { deep: { whatever: SENTINEL } } }, 'login');
    log.warn(
      { secret: new Secret(SENTINEL), url: `https://u:${SENTINEL}@host/x` },
      `failed with ${SENTINEL}`,
    );
    log.child({ component: 'x' }).error(`Bearer ${SENTINEL}`);
    expect(out.text()).toContain('"msg":"login"');
    expect(out.text().split('\n').filter(Boolean)).toHaveLength(4);
    expect(out.text()).not.toContain(SENTINEL);
  });
});

describe('makeHttpError', () => {
  it.each([
    [400, BadRequestError, false],
    [401, AuthenticationError, false],
    [403, PermissionDeniedError, false],
    [404, NotFoundError, false],
    [405, MethodNotAllowedError, false],
    [409, ConflictError, false],
    [416, RangeNotSatisfiableError, false],
    [422, UnprocessableEntityError, false],
    [429, RateLimitError, true],
    [500, InternalServerError, true],
    [502, InternalServerError, true],
    [503, InternalServerError, true],
  ])('%i → %o (retryable %s)', (status, cls, retryable) => {
    const err = makeHttpError({ status });
    expect(err).toBeInstanceOf(cls);
    expect(err.retryable).toBe(retryable);
    expect(err.status).toBe(status);
  });

  it('takes the message and code from Hub, OCI and GraphQL bodies', () => {
    expect(
      makeHttpError({ status: 400, body: { detail: 'bad name', errinfo: { code: 'E1' } } }),
    ).toMatchObject({
      message: '400 bad name',
      code: 'E1',
    });
    expect(makeHttpError({ status: 404, body: { message: 'object not found' } }).message).toBe(
      '404 object not found',
    );
    expect(
      makeHttpError({
        status: 403,
        body: { errors: [{ message: 'no scout', extensions: { code: 'FORBIDDEN' } }] },
      }),
    ).toMatchObject({ message: '403 no scout', code: 'FORBIDDEN' });
    expect(makeHttpError({ status: 418, body: 'short text' }).message).toBe('418 short text');
  });

  it('strips credentials from URLs and carries Retry-After', () => {
    const err = makeHttpError({
      status: 429,
      method: 'GET',
      url: 'https://u:pw-9999999@h/x',
      retryAfterMs: 5000,
    });
    expect(err.message).toBe('429 Too Many Requests (GET https://h/x)');
    expect((err as RateLimitError).retryAfterMs).toBe(5000);
    expect(JSON.stringify(err)).not.toContain('pw-9999999');
  });

  it('names the switch that allows destructive operations', () => {
    expect(new DestructiveOperationBlockedError('repository delete').message).toMatch(
      /DOCKERHUB_ALLOW_DESTRUCTIVE=true/,
    );
  });
});
