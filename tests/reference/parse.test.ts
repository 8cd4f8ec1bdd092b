import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidReferenceError, ValidationError } from '../../src/core/errors.js';
import {
  assertDigest,
  familiarName,
  formatPlatform,
  manifestIdentifier,
  parsePlatform,
  parseReference,
  platformMatches,
  registryHost,
  withDigest,
  withTag,
} from '../../src/reference/index.js';

const D = `sha256:${'ab'.repeat(32)}`;

describe('parseReference: normalisation', () => {
  it.each([
    ['ubuntu', 'docker.io/library/ubuntu:latest', 'ubuntu:latest'],
    ['user/app:1.0', 'docker.io/user/app:1.0', 'user/app:1.0'],
    ['index.docker.io/library/nginx', 'docker.io/library/nginx:latest', 'nginx:latest'],
    ['docker.io/redis', 'docker.io/library/redis:latest', 'redis:latest'],
    ['localhost/foo', 'localhost/foo:latest', 'localhost/foo:latest'],
    [`localhost:5000/foo/bar@${D}`, `localhost:5000/foo/bar@${D}`, `localhost:5000/foo/bar@${D}`],
    [`ghcr.io/org/img:tag@${D}`, `ghcr.io/org/img:tag@${D}`, `ghcr.io/org/img:tag@${D}`],
    ['127.0.0.1:5000/a/b/c:v1', '127.0.0.1:5000/a/b/c:v1', '127.0.0.1:5000/a/b/c:v1'],
    ['[::1]:5000/app', '[::1]:5000/app:latest', '[::1]:5000/app:latest'],
    ['docker.io/library/foo/bar', 'docker.io/library/foo/bar:latest', 'library/foo/bar:latest'],
    ['a__b/c---d.e_f:T_1.0-x', 'docker.io/a__b/c---d.e_f:T_1.0-x', 'a__b/c---d.e_f:T_1.0-x'],
  ])('%s → %s', (input, canonical, familiar) => {
    const ref = parseReference(input);
    expect(ref.toString()).toBe(canonical);
    expect(familiarName(ref)).toBe(familiar);
  });

  it('keeps tag and digest apart and serialises as plain data', () => {
    const ref = parseReference(`nginx:1.27@${D}`);
    expect(JSON.parse(JSON.stringify(ref))).toEqual({
      registry: 'docker.io',
      repository: 'library/nginx',
      tag: '1.27',
      digest: D,
    });
    expect(manifestIdentifier(ref)).toBe(D);
    expect(manifestIdentifier(parseReference('nginx:1.27'))).toBe('1.27');
    expect(parseReference('nginx', { defaultTag: false }).tag).toBeUndefined();
  });

  it('maps Docker Hub to its registry API host', () => {
    expect(registryHost(parseReference('nginx'))).toBe('registry-1.docker.io');
    expect(registryHost('ghcr.io')).toBe('ghcr.io');
  });

  it('re-tags and pins digests with validation', () => {
    const ref = parseReference('nginx:1');
    expect(withTag(ref, '2').toString()).toBe('docker.io/library/nginx:2');
    expect(withDigest(ref, D).toString()).toBe(`docker.io/library/nginx:1@${D}`);
    expect(() => withTag(ref, '-bad')).toThrow(InvalidReferenceError);
    expect(() => withDigest(ref, 'sha256:123')).toThrow(InvalidReferenceError);
  });
});

describe('parseReference: rejections name the problem', () => {
  it.each([
    ['', /empty reference/],
    ['Ubuntu', /must be lowercase/],
    ['user/App', /must be lowercase/],
    ['nginx:-bad', /invalid tag/],
    [`nginx:${'a'.repeat(129)}`, /invalid tag/],
    ['nginx@sha256:abc', /sha256 needs 64 lowercase hex/],
    [`nginx@md5:${'a'.repeat(32)}`, /unsupported algorithm "md5"/],
    [`nginx@sha256:${'A'.repeat(64)}`, /sha256 needs 64 lowercase hex/],
    ['a'.repeat(64), /image ID, not a repository name/],
    [`docker.io/${'a'.repeat(256)}`, /longer than 255/],
    ['nginx latest', /whitespace or control/],
    ['nginx\r\n:latest', /whitespace or control/],
    ['nginx\u0000', /whitespace or control/],
    ['../etc/passwd', /contains "\.\."/],
    ['host:5000//x', /empty path component/],
    ['/nginx', /empty path component/],
    ['host:99999/x', /invalid port/],
    ['host:0/x', /invalid port/],
    ['-host.com/x', /invalid registry host/],
    ['a/-b', /invalid repository path component "-b"/],
    ['ghcr.io/', /missing repository|invalid repository path/],
  ])('%j', (input, message) => {
    const err = (() => {
      try {
        parseReference(input);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(InvalidReferenceError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toMatch(/[\r\n]/);
  });

  it('validates digests strictly', () => {
    expect(assertDigest(D)).toBe(D);
    expect(assertDigest(`sha512:${'0'.repeat(128)}`)).toMatch(/^sha512:/);
    expect(() => assertDigest('nope')).toThrow(/expected algorithm:hex/);
  });
});

const component = fc.stringMatching(/^[a-z0-9]{1,6}(?:[._-][a-z0-9]{1,4}){0,2}$/);
// A first component with a dot would be read as a registry host, as docker does.
const firstComponent = fc.stringMatching(/^[a-z0-9]{1,6}(?:[_-][a-z0-9]{1,4}){0,2}$/);
const domain = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom(
    'localhost',
    'localhost:5000',
    'ghcr.io',
    '127.0.0.1:5000',
    'registry.example.com',
    '[::1]:8443',
  ),
);
// Tags containing ".." are valid in the grammar, but we refuse them so that no request path carries "..".
const tag = fc.oneof(
  fc.constant(undefined),
  fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}$/).filter((t) => !t.includes('..')),
);
const digest = fc.oneof(
  fc.constant(undefined),
  fc.stringMatching(/^[a-f0-9]{64}$/).map((h) => `sha256:${h}`),
);

describe('parseReference: properties', () => {
  it('round-trips: parse(toString(parse(x))) equals parse(x)', () => {
    fc.assert(
      fc.property(
        domain,
        firstComponent,
        fc.array(component, { maxLength: 2 }),
        tag,
        digest,
        (d, first, more, t, dg) => {
          const path = [first, ...more];
          const input = `${d ? `${d}/` : ''}${path.join('/')}${t ? `:${t}` : ''}${dg ? `@${dg}` : ''}`;
          const once = parseReference(input);
          const twice = parseReference(once.toString());
          expect(twice.toString()).toBe(once.toString());
          expect(parseReference(familiarName(once)).toString()).toBe(once.toString());
        },
      ),
    );
  });

  it('rejects any input with CR, LF, NUL, space or ".."', () => {
    fc.assert(
      fc.property(fc.string(), fc.constantFrom('\r', '\n', '\u0000', ' ', '..'), fc.string(), (a, bad, b) => {
        expect(() => parseReference(`${a}${bad}${b}`)).toThrow(InvalidReferenceError);
      }),
    );
  });

  it('throws nothing but InvalidReferenceError on arbitrary strings', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' })),
        (s) => {
          try {
            const ref = parseReference(s);
            expect(ref.toString()).not.toMatch(/\.\.|[\r\n]/);
          } catch (err) {
            expect(err).toBeInstanceOf(InvalidReferenceError);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('platforms', () => {
  it('parses and formats os/arch[/variant]', () => {
    expect(parsePlatform('linux/arm64/v8')).toEqual({ os: 'linux', architecture: 'arm64', variant: 'v8' });
    expect(formatPlatform(parsePlatform('Linux/AMD64'))).toBe('linux/amd64');
    expect(() => parsePlatform('linux')).toThrow(ValidationError);
    expect(() => parsePlatform('linux/amd64/v1/x')).toThrow(/expected os\/arch\[\/variant\]/);
  });

  it('matches aliases and default variants the way docker does', () => {
    const p = parsePlatform;
    expect(platformMatches(p('linux/arm64'), p('linux/arm64/v8'))).toBe(true);
    expect(platformMatches(p('linux/aarch64'), p('linux/arm64'))).toBe(true);
    expect(platformMatches(p('linux/x86_64'), p('linux/amd64'))).toBe(true);
    expect(platformMatches(p('linux/arm/v7'), p('linux/arm'))).toBe(true);
    expect(platformMatches(p('linux/arm/v6'), p('linux/arm/v7'))).toBe(false);
    expect(platformMatches(p('linux/arm'), p('linux/arm/v6'))).toBe(true);
    expect(platformMatches(p('windows/amd64'), p('linux/amd64'))).toBe(false);
  });
});
