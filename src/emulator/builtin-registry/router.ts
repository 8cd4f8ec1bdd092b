/**
 * Maps a request to its handler, its repository and reference, and the access it needs. Repository names
 * hold slashes, so each route is matched on its fixed suffix (`/manifests/<ref>`, `/blobs/<digest>`, …).
 */
import { isValidRepository } from '../../reference/reference.js';
import {
  cancelUpload,
  deleteBlob,
  finishUpload,
  getBlob,
  patchUpload,
  startUpload,
  uploadStatus,
} from './blob-handlers.js';
import type { Handler } from './context.js';
import { RegistryError, unsupported } from './errors.js';
import { sendJson } from './http.js';
import { listCatalog, listReferrers, listTags } from './listing-handlers.js';
import { deleteManifest, getManifest, putManifest } from './manifest-handlers.js';

/** What a route needs from a token: nothing but a valid one, an action on the repository, or the catalog. */
export type Need = 'authenticated' | 'pull' | 'push' | 'delete' | 'catalog';

export interface RouteMatch {
  handler: Handler;
  need: Need;
  name: string;
  reference: string;
}

type Methods = Partial<Record<string, [Handler, Need]>>;

const base: Handler = async (ctx) => sendJson(ctx.res, 200, {});

const ROUTES: Array<{ pattern: RegExp; methods: Methods }> = [
  { pattern: /^\/v2\/?$/, methods: { GET: [base, 'authenticated'], HEAD: [base, 'authenticated'] } },
  { pattern: /^\/v2\/_catalog$/, methods: { GET: [listCatalog, 'catalog'] } },
  { pattern: /^\/v2\/(.+)\/blobs\/uploads\/?$/, methods: { POST: [startUpload, 'push'] } },
  {
    pattern: /^\/v2\/(.+)\/blobs\/uploads\/([^/]+)$/,
    methods: {
      GET: [uploadStatus, 'push'],
      PATCH: [patchUpload, 'push'],
      PUT: [finishUpload, 'push'],
      DELETE: [cancelUpload, 'push'],
    },
  },
  {
    pattern: /^\/v2\/(.+)\/blobs\/([^/]+)$/,
    methods: { GET: [getBlob, 'pull'], HEAD: [getBlob, 'pull'], DELETE: [deleteBlob, 'delete'] },
  },
  {
    pattern: /^\/v2\/(.+)\/manifests\/([^/]+)$/,
    methods: {
      GET: [getManifest, 'pull'],
      HEAD: [getManifest, 'pull'],
      PUT: [putManifest, 'push'],
      DELETE: [deleteManifest, 'delete'],
    },
  },
  { pattern: /^\/v2\/(.+)\/tags\/list$/, methods: { GET: [listTags, 'pull'] } },
  { pattern: /^\/v2\/(.+)\/referrers\/([^/]+)$/, methods: { GET: [listReferrers, 'pull'] } },
];

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new RegistryError(400, 'NAME_INVALID', 'invalid path encoding', { path: part });
  }
}

export function matchRoute(method: string, pathname: string): RouteMatch {
  for (const { pattern, methods } of ROUTES) {
    const m = pattern.exec(pathname);
    if (!m) continue;
    const route = methods[method];
    if (!route) throw unsupported(`${method} is not supported here`);
    const name = m[1] === undefined ? '' : decode(m[1]);
    if (m[1] !== undefined && !isValidRepository(name)) {
      throw new RegistryError(400, 'NAME_INVALID', 'invalid repository name', { name });
    }
    return { handler: route[0], need: route[1], name, reference: m[2] === undefined ? '' : decode(m[2]) };
  }
  throw new RegistryError(404, 'UNSUPPORTED', 'unknown endpoint', { path: pathname });
}
