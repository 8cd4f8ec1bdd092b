/**
 * Image references per the distribution/reference grammar (../shared/specs/reference-grammar.md):
 * `nginx` → `docker.io/library/nginx:latest`. Anything invalid is rejected here, before a request is
 * built, so no URL can carry `..`, CR/LF or a malformed digest.
 */
import { InvalidReferenceError } from '../core/errors.js';
import { assertDigest, isControlChar, printable } from './digest.js';

export interface ImageReference {
  /** Canonical domain: 'docker.io', 'ghcr.io', '127.0.0.1:5000', '[::1]:5000'. */
  registry: string;
  /** Path below the domain: 'library/nginx', 'user/app'. */
  repository: string;
  tag?: string;
  digest?: string;
  /** `registry/repository[:tag][@digest]` */
  toString(): string;
}

export const DOCKER_HUB = 'docker.io';
const DOCKER_HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);
const MAX_PATH = 255;

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = new RegExp(
  `^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::([0-9]+))?$`,
);
const TAG = /^[\w][\w.-]{0,127}$/;
const IDENTIFIER = /^[a-f0-9]{64}$/;

function fail(input: string, why: string): never {
  throw new InvalidReferenceError(`invalid reference "${printable(input)}": ${why}`);
}

function referenceToString(this: ImageReference): string {
  return `${this.registry}/${this.repository}${this.tag ? `:${this.tag}` : ''}${this.digest ? `@${this.digest}` : ''}`;
}

function make(registry: string, repository: string, tag?: string, digest?: string): ImageReference {
  const ref: ImageReference = { registry, repository, toString: referenceToString };
  if (tag !== undefined) ref.tag = tag;
  if (digest !== undefined) ref.digest = digest;
  Object.defineProperty(ref, 'toString', { enumerable: false });
  return Object.freeze(ref);
}

export function isValidTag(tag: string): boolean {
  return TAG.test(tag);
}

export function isValidRepository(path: string): boolean {
  return path.length > 0 && path.length <= MAX_PATH && path.split('/').every((c) => PATH_COMPONENT.test(c));
}

export function isDockerHub(registry: string): boolean {
  return DOCKER_HUB_ALIASES.has(registry.toLowerCase());
}

function isDomain(first: string): boolean {
  return first === 'localhost' || first.includes('.') || first.includes(':') || first !== first.toLowerCase();
}

export function parseReference(input: string, opts: { defaultTag?: string | false } = {}): ImageReference {
  if (typeof input !== 'string' || input.length === 0) fail(String(input), 'empty reference');
  if (input.length > 4096) fail(input, 'too long');
  if ([...input].some((c) => /\s/.test(c) || isControlChar(c.charCodeAt(0)))) {
    fail(input, 'contains whitespace or control characters');
  }
  if (input.includes('..')) fail(input, 'contains ".."');
  if (input.startsWith('/') || input.includes('//')) fail(input, 'empty path component');

  let rest = input;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    try {
      assertDigest(digest);
    } catch (err) {
      fail(input, (err as Error).message.replace(/^invalid digest "[^"]*": /, 'invalid digest: '));
    }
  }

  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!isValidTag(tag))
      fail(
        input,
        `invalid tag "${printable(tag)}" (letters, digits, _ . -; at most 128; not starting with . or -)`,
      );
  }
  if (rest.length === 0) fail(input, 'missing repository name');

  let registry = DOCKER_HUB;
  let path = rest;
  const slash = rest.indexOf('/');
  if (slash >= 0 && isDomain(rest.slice(0, slash))) {
    registry = rest.slice(0, slash);
    path = rest.slice(slash + 1);
    const m = DOMAIN.exec(registry);
    if (!m) fail(input, `invalid registry host "${printable(registry)}"`);
    if (m[1] !== undefined) {
      const port = Number(m[1]);
      if (port < 1 || port > 65535) fail(input, `invalid port ${m[1]}`);
    }
    if (registry.toLowerCase() === 'index.docker.io') registry = DOCKER_HUB;
  } else if (slash < 0 && IDENTIFIER.test(rest)) {
    fail(input, 'a 64-character hex string is an image ID, not a repository name (use name@sha256:...)');
  }
  if (registry === DOCKER_HUB && !path.includes('/')) path = `library/${path}`;
  if (path !== path.toLowerCase()) fail(input, 'repository name must be lowercase');
  if (path.length > MAX_PATH) fail(input, `repository name longer than ${MAX_PATH} characters`);
  for (const component of path.split('/')) {
    if (!PATH_COMPONENT.test(component)) {
      fail(
        input,
        `invalid repository path component "${printable(component)}" (lowercase letters, digits, separators . _ __ -)`,
      );
    }
  }
  if (tag === undefined && digest === undefined && opts.defaultTag !== false)
    tag = opts.defaultTag ?? 'latest';
  return make(registry, path, tag, digest);
}

/** The short form people type: `nginx:latest`, `user/app:1.0`; other registries unchanged. */
export function familiarName(ref: ImageReference): string {
  const suffix = `${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
  if (ref.registry !== DOCKER_HUB) return `${ref.registry}/${ref.repository}${suffix}`;
  const name =
    ref.repository.startsWith('library/') && ref.repository.split('/').length === 2
      ? ref.repository.slice(8)
      : ref.repository;
  return `${name}${suffix}`;
}

/** The HTTP host of a registry: Docker Hub's registry API lives at registry-1.docker.io. */
export function registryHost(ref: ImageReference | string): string {
  const registry = typeof ref === 'string' ? ref : ref.registry;
  return isDockerHub(registry) ? 'registry-1.docker.io' : registry;
}

export function withTag(ref: ImageReference, tag: string): ImageReference {
  if (!isValidTag(tag)) throw new InvalidReferenceError(`invalid tag "${printable(tag)}"`);
  return make(ref.registry, ref.repository, tag, undefined);
}

/** Pins a digest, keeping the tag for display (`name:tag@digest`). */
export function withDigest(ref: ImageReference, digest: string): ImageReference {
  return make(ref.registry, ref.repository, ref.tag, assertDigest(digest));
}

/** What goes in `/v2/<name>/manifests/<x>`: the digest when present, else the tag. */
export function manifestIdentifier(ref: ImageReference): string {
  const id = ref.digest ?? ref.tag;
  if (!id) throw new InvalidReferenceError(`reference ${ref} has neither tag nor digest`);
  return id;
}
