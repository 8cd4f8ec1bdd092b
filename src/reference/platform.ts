/** Platform strings (`os/arch[/variant]`) as docker and the OCI image index use them. */
import { ValidationError } from '../core/errors.js';

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
  'os.version'?: string;
}

const ARCH_ALIASES: Record<string, string> = {
  x86_64: 'amd64',
  'x86-64': 'amd64',
  aarch64: 'arm64',
  armhf: 'arm',
  i386: '386',
};
const PART = /^[a-z0-9][a-z0-9._-]*$/;

export function normalizePlatform(p: Platform): Platform {
  const os = p.os.toLowerCase();
  const architecture = ARCH_ALIASES[p.architecture.toLowerCase()] ?? p.architecture.toLowerCase();
  let variant = p.variant?.toLowerCase() || undefined;
  if (architecture === 'arm64' && variant === 'v8') variant = undefined; // v8 is arm64's only variant
  if (architecture === 'arm' && variant === undefined) variant = 'v7'; // docker's default for arm
  return { ...p, os, architecture, variant };
}

export function parsePlatform(s: string): Platform {
  const parts = s.trim().split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((x) => !PART.test(x.toLowerCase()))) {
    throw new ValidationError(
      `invalid platform "${s}": expected os/arch[/variant], e.g. linux/amd64 or linux/arm64/v8`,
    );
  }
  const [os, architecture, variant] = parts as [string, string, string | undefined];
  return {
    os: os.toLowerCase(),
    architecture: architecture.toLowerCase(),
    ...(variant ? { variant: variant.toLowerCase() } : {}),
  };
}

export function formatPlatform(p: Platform): string {
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

/**
 * Whether an image for `have` satisfies a request for `want`. Aliases are normalised
 * (aarch64 = arm64, x86_64 = amd64, arm64/v8 = arm64); a request without variant accepts any variant.
 */
export function platformMatches(want: Platform, have: Platform): boolean {
  const w = normalizePlatform(want);
  const h = normalizePlatform(have);
  if (w.os !== h.os || w.architecture !== h.architecture) return false;
  if (want.variant === undefined) return true;
  return w.variant === h.variant;
}
