/**
 * The built-in OCI registry (distribution spec v1.1), what the emulator serves when no registry binary is
 * on PATH, as `crane registry serve` does: blobs, chunked and monolithic uploads, cross-repository mounts,
 * manifests (OCI and Docker v2), tags, referrers and the catalog, with token auth trusting the emulator's
 * token service. Storage is in memory, or on disk under `storageDir`.
 */
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { RegistryOptions, RunningRegistry } from '../registry-types.js';
import { TokenAuthority } from './auth.js';
import { type ContentStore, MemoryContentStore } from './content-store.js';
import { DiskContentStore } from './disk-content-store.js';
import { DiskMetadata, type MetadataStore, memoryMetadata } from './metadata.js';
import { RepositoryStore } from './repository-store.js';
import { createRegistryServer } from './server.js';
import { UploadSessions } from './upload-sessions.js';

export async function startBuiltinRegistry(opts: RegistryOptions = {}): Promise<RunningRegistry> {
  const authority = opts.auth ? new TokenAuthority(opts.auth) : undefined;
  let content: ContentStore;
  let metadata: MetadataStore;
  if (opts.storageDir) {
    await mkdir(opts.storageDir, { recursive: true });
    content = await DiskContentStore.open(opts.storageDir);
    metadata = new DiskMetadata(opts.storageDir);
  } else {
    content = new MemoryContentStore();
    metadata = memoryMetadata;
  }
  const store = await RepositoryStore.open(content, metadata);
  const uploads = new UploadSessions(store);
  const server = createRegistryServer({ store, uploads, authority, onEvent: opts.onEvent });

  const hostname = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, hostname, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = `${hostname.includes(':') ? `[${hostname}]` : hostname}:${port}`;

  let stopped: Promise<void> | undefined;
  return {
    url: `http://${host}`,
    host,
    kind: 'builtin',
    stop: () => {
      stopped ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections(); // keep-alive sockets would hold close() open
        await closed;
        await uploads.close();
        await content.close();
      })();
      return stopped;
    },
  };
}
