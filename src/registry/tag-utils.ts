/**
 * Tag utilities: semver-aware filtering and sorting of tags as Docker images use them (`1`, `1.27`,
 * `v1.27.3`, `1.27.3-alpine`), and digest pinning for reproducible deployments.
 */
import semver from 'semver';
import { ValidationError } from '../core/errors.js';
import { type ImageReference, type Platform, withDigest } from '../reference/index.js';
import type { RegistryClient } from './client.js';
import { resolveImageManifest } from './inspect.js';

const VERSION_TAG = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z][0-9A-Za-z.-]*))?$/;

export interface SemverTag {
  tag: string;
  version: semver.SemVer;
  /** Number of version parts the tag spells out (1 for `1`, 3 for `1.2.3`): more specific wins ties. */
  precision: number;
}

/**
 * Reads a tag as a version: `1.27` is 1.27.0; a suffix (`-alpine`, `-rc1`) is kept as a prerelease, so
 * ranges leave such tags out unless prereleases are included, as semver does.
 */
export function parseVersionTag(tag: string): SemverTag | undefined {
  const m = VERSION_TAG.exec(tag);
  if (!m) return undefined;
  const [major, minor = '0', patch = '0'] = [m[1], m[2], m[3]];
  const text = `${major}.${minor}.${patch}${m[4] ? `-${m[4]}` : ''}`;
  const version = semver.parse(text);
  if (!version) return undefined;
  return { tag, version, precision: [m[1], m[2], m[3]].filter(Boolean).length };
}

function compare(a: SemverTag, b: SemverTag): number {
  return semver.compare(a.version, b.version) || a.precision - b.precision || a.tag.localeCompare(b.tag);
}

export interface SemverFilterOptions {
  /** Include suffixed tags (`1.2.3-alpine`, `2.0.0-rc1`). */
  includePrerelease?: boolean;
}

/** Tags whose version satisfies `range` (e.g. `^1.2`, `>=2 <3`), ascending. Non-version tags are left out. */
export function filterSemverTags(
  tags: Iterable<string>,
  range: string,
  opts: SemverFilterOptions = {},
): string[] {
  const valid = semver.validRange(range);
  if (!valid) throw new ValidationError(`invalid semver range "${range}"`);
  const out: SemverTag[] = [];
  for (const tag of tags) {
    const parsed = parseVersionTag(tag);
    if (
      parsed &&
      semver.satisfies(parsed.version, valid, { includePrerelease: opts.includePrerelease ?? false })
    ) {
      out.push(parsed);
    }
  }
  return out.sort(compare).map((t) => t.tag);
}

/** The highest tag satisfying `range` (the most specific spelling when versions tie). */
export function latestSemverTag(
  tags: Iterable<string>,
  range = '*',
  opts: SemverFilterOptions = {},
): string | undefined {
  return filterSemverTags(tags, range, opts).at(-1);
}

/** Sorts tags: 'semver' puts version tags in version order after the others (alphabetical); 'name' is plain. */
export function sortTags(tags: string[], order: 'semver' | 'name' = 'name'): string[] {
  if (order === 'name') return [...tags].sort((a, b) => a.localeCompare(b));
  const versions: SemverTag[] = [];
  const others: string[] = [];
  for (const t of tags) {
    const parsed = parseVersionTag(t);
    if (parsed) versions.push(parsed);
    else others.push(t);
  }
  return [...others.sort((a, b) => a.localeCompare(b)), ...versions.sort(compare).map((v) => v.tag)];
}

/**
 * Pins a reference to the digest it points at now: the index digest (all platforms), or with
 * `platform` the digest of that platform's image.
 */
export async function pinReference(
  client: RegistryClient,
  input: string | ImageReference,
  opts: { platform?: string | Platform; signal?: AbortSignal } = {},
): Promise<ImageReference> {
  const ref = client.ref(input);
  if (opts.platform) {
    const m = await resolveImageManifest(client, ref, { platform: opts.platform, signal: opts.signal });
    return withDigest(ref, m.digest);
  }
  return withDigest(ref, await client.manifests.resolve(ref, opts.signal));
}
