/**
 * Registry errors in the OCI error format (`{errors:[{code,message,detail}]}`), thrown by handlers and
 * written by the server. Codes are the distribution spec's, plus UNKNOWN for our own failures.
 */
export type RegistryErrorCode =
  | 'BLOB_UNKNOWN'
  | 'BLOB_UPLOAD_INVALID'
  | 'BLOB_UPLOAD_UNKNOWN'
  | 'DIGEST_INVALID'
  | 'MANIFEST_BLOB_UNKNOWN'
  | 'MANIFEST_INVALID'
  | 'MANIFEST_UNKNOWN'
  | 'NAME_INVALID'
  | 'NAME_UNKNOWN'
  | 'SIZE_INVALID'
  | 'UNAUTHORIZED'
  | 'DENIED'
  | 'UNSUPPORTED'
  | 'RANGE_INVALID'
  | 'PAGINATION_NUMBER_INVALID'
  | 'UNKNOWN';

export interface ErrorEntry {
  code: string;
  message: string;
  detail?: unknown;
}

export class RegistryError extends Error {
  constructor(
    readonly status: number,
    readonly code: RegistryErrorCode,
    message: string,
    readonly detail?: unknown,
    /** Extra response headers, e.g. `Range` on a 416 or `WWW-Authenticate` on a 401. */
    readonly headers: Record<string, string> = {},
    /** Further errors reported with this one (e.g. one per missing blob). */
    readonly more: ErrorEntry[] = [],
  ) {
    super(message);
    this.name = 'RegistryError';
  }

  body(): { errors: ErrorEntry[] } {
    const error = { code: this.code, message: this.message };
    return { errors: [this.detail === undefined ? error : { ...error, detail: this.detail }, ...this.more] };
  }
}

export const blobUnknown = (digest: string) =>
  new RegistryError(404, 'BLOB_UNKNOWN', 'blob unknown to registry', { digest });

export const manifestUnknown = (reference: string) =>
  new RegistryError(404, 'MANIFEST_UNKNOWN', 'manifest unknown', { reference });

export const nameUnknown = (name: string) =>
  new RegistryError(404, 'NAME_UNKNOWN', 'repository name not known to registry', { name });

export const uploadUnknown = (id: string) =>
  new RegistryError(404, 'BLOB_UPLOAD_UNKNOWN', 'blob upload unknown to registry', { id });

export const digestInvalid = (message: string, detail?: unknown) =>
  new RegistryError(400, 'DIGEST_INVALID', message, detail);

export const unsupported = (message = 'the operation is unsupported') =>
  new RegistryError(405, 'UNSUPPORTED', message);
