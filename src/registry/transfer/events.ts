/** Progress events of transfers; the CLI renders them as bars (TTY) or JSON lines. */
export type TransferEvent =
  | { type: 'plan'; blobs: number; bytes: number }
  | { type: 'blob-start'; digest: string; size: number }
  | { type: 'blob-progress'; digest: string; size: number; bytes: number }
  | {
      type: 'blob-done';
      digest: string;
      size: number;
      outcome: 'downloaded' | 'uploaded' | 'exists' | 'mounted' | 'copied';
    }
  | { type: 'manifest'; digest: string; mediaType: string; reference?: string }
  | { type: 'done'; digest: string; reference: string };

export type ProgressListener = (event: TransferEvent) => void;

export interface TransferOptions {
  /** Blobs in flight at once (default 6). */
  concurrency?: number;
  /** Only this platform of a multi-arch image. */
  platform?: string;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
}

export const DEFAULT_CONCURRENCY = 6;
