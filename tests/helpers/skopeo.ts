/**
 * skopeo (1.9) as the independent reference client: pushes test images and reports the digests we compare
 * against. Every call gets `--insecure-policy` and throwaway per-call state, most importantly a fresh
 * blob-info cache: skopeo's machine-wide cache remembers where blobs were seen and turns later pushes of
 * the same layers into cross-repository mounts, so tests would depend on what ran before them.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SkopeoOptions {
  /** Kill skopeo after this long; default 120 s. */
  timeoutMs?: number;
  /** Extra environment variables. */
  env?: Record<string, string>;
}

export interface SkopeoResult {
  stdout: string;
  stderr: string;
}

/** Error messages quote the command; credentials in it are masked. */
function redact(args: string[]): string {
  return args.map((a, i) => (/^--(src-|dest-)?creds$/.test(args[i - 1] ?? '') ? '***' : a)).join(' ');
}

async function run(args: string[], opts: SkopeoOptions, encoding: 'utf8' | 'buffer') {
  const state = await mkdtemp(join(tmpdir(), 'dh-skopeo-'));
  // As root the cache would be /var/lib/containers/cache. containers/image picks the cache dir from the
  // *rootless* EUID, which it reads from _CONTAINERS_ROOTLESS_UID, so claiming a non-root uid moves the
  // cache to $XDG_DATA_HOME/containers/cache, inside this call's temp dir. Auth and config lookups are
  // pointed there too, so nothing from the machine (auth.json, registries.conf overrides) leaks in.
  const env = {
    ...process.env,
    _CONTAINERS_ROOTLESS_UID: '4242',
    XDG_DATA_HOME: join(state, 'data'),
    XDG_CONFIG_HOME: join(state, 'config'),
    XDG_RUNTIME_DIR: join(state, 'run'),
    REGISTRY_AUTH_FILE: join(state, 'auth.json'),
    ...opts.env,
  };
  const argv = ['--insecure-policy', ...args];
  try {
    return await new Promise<{ stdout: string | Buffer; stderr: string | Buffer }>((resolve, reject) => {
      execFile(
        'skopeo',
        argv,
        { env, encoding, timeout: opts.timeoutMs ?? 120_000, maxBuffer: 256 << 20 },
        (err, stdout, stderr) => {
          if (err) {
            // Not err.message: it repeats the command line, credentials included.
            const detail = `${stderr}`.trim() || (err.killed ? 'killed (timeout?)' : 'no output');
            reject(new Error(`skopeo ${redact(argv)} failed (${err.code ?? err.signal}): ${detail}`));
          } else resolve({ stdout, stderr });
        },
      );
    });
  } finally {
    await rm(state, { recursive: true, force: true });
  }
}

export async function skopeo(args: string[], opts: SkopeoOptions = {}): Promise<SkopeoResult> {
  const { stdout, stderr } = await run(args, opts, 'utf8');
  return { stdout: stdout.toString(), stderr: stderr.toString() };
}

export interface CopyOptions extends SkopeoOptions {
  /** 'user:pass' for whichever side is a docker:// reference. */
  creds?: string;
  /** Copy every instance of an index, keeping the index digest (`--all`). */
  all?: boolean;
  /**
   * `--preserve-digests`, default true. The generator's layers are random bytes, which skopeo detects as
   * uncompressed and would otherwise gzip on the fly for a docker:// destination, rewriting every digest.
   * With it, a copy that cannot keep the digests fails instead of silently changing them.
   */
  preserveDigests?: boolean;
  /** Extra copy flags, e.g. ['--debug']. */
  extraArgs?: string[];
}

export function skopeoCopy(src: string, dst: string, opts: CopyOptions = {}): Promise<SkopeoResult> {
  const args = ['copy', '--src-tls-verify=false', '--dest-tls-verify=false'];
  if (opts.all) args.push('--all');
  if (opts.preserveDigests ?? true) args.push('--preserve-digests');
  if (opts.creds && src.startsWith('docker://')) args.push('--src-creds', opts.creds);
  if (opts.creds && dst.startsWith('docker://')) args.push('--dest-creds', opts.creds);
  args.push(...(opts.extraArgs ?? []), src, dst);
  return skopeo(args, opts);
}

export interface InspectOptions extends SkopeoOptions {
  /** The manifest (or index) exactly as stored. */
  raw?: boolean;
  /** The image config (of the host platform's image when the tag is an index). */
  config?: boolean;
  creds?: string;
}

function inspectArgs(ref: string, opts: InspectOptions): string[] {
  const args = ['inspect', '--tls-verify=false'];
  if (opts.raw) args.push('--raw');
  if (opts.config) args.push('--config');
  if (opts.creds) args.push('--creds', opts.creds);
  return [...args, ref];
}

export async function skopeoInspect(ref: string, opts: InspectOptions = {}): Promise<unknown> {
  return JSON.parse((await skopeo(inspectArgs(ref, opts), opts)).stdout);
}

/**
 * The digest of the manifest skopeo fetches for `ref`: sha256 of the exact `--raw` bytes. (`--format
 * {{.Digest}}` would also resolve the host platform's image, which fails for indexes without it.)
 */
export async function skopeoDigest(
  ref: string,
  opts: Omit<InspectOptions, 'raw' | 'config'> = {},
): Promise<string> {
  const { stdout } = await run(inspectArgs(ref, { ...opts, raw: true }), opts, 'buffer');
  return `sha256:${createHash('sha256').update(stdout).digest('hex')}`;
}

/** skopeo copy oci:DIR:TAG docker://REF --all (REF with or without the docker:// prefix). */
export function pushLayout(
  layoutDir: string,
  tag: string,
  registryRef: string,
  creds?: string,
  opts: Omit<CopyOptions, 'creds' | 'all'> = {},
): Promise<SkopeoResult> {
  const dst = registryRef.startsWith('docker://') ? registryRef : `docker://${registryRef}`;
  return skopeoCopy(`oci:${layoutDir}:${tag}`, dst, { ...opts, creds, all: true });
}
