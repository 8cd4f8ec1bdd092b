/**
 * The contract between the emulator and the registry beside it: either a real CNCF distribution registry
 * that the emulator configures and spawns, or the built-in OCI registry used when no registry binary is on
 * PATH. Both trust the emulator's token service and report pushes and deletes as `RegistryEvent`s, which
 * keep the emulator's repositories and tags in sync.
 */

/** Token auth as distribution's `auth: token` takes it. */
export interface RegistryTokenAuth {
  /** The token endpoint (the emulator's auth.docker.io-compatible `/token`). */
  realm: string;
  service: string;
  issuer: string;
  /** PEM certificate bundle that the tokens' `x5c` chain must verify against (`rootcertbundle`). */
  rootCertBundle: string;
}

export interface RegistryEvent {
  action: 'push' | 'delete';
  /** Repository path, e.g. `acme/app`. */
  repository: string;
  /** Set when a manifest was pushed by tag, or a tag was deleted. */
  tag?: string;
  digest: string;
  mediaType?: string;
  size?: number;
  /** The authenticated user that made the change, when known. */
  actor?: string;
}

export interface RegistryOptions {
  host?: string;
  /** 0 or absent: any free port. */
  port?: number;
  /** Store blobs and manifests on disk here; absent: in memory (built-in) or a temp dir (spawned). */
  storageDir?: string;
  /** Absent: no auth (anyone may pull and push). */
  auth?: RegistryTokenAuth;
  onEvent?: (event: RegistryEvent) => void;
}

export interface RunningRegistry {
  /** Base URL, e.g. http://127.0.0.1:5000. */
  url: string;
  /** `host:port`, as image references name it. */
  host: string;
  kind: 'distribution' | 'builtin';
  stop(): Promise<void>;
}
