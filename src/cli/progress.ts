/**
 * Renders transfer progress: bars on a terminal (total and per blob, with bytes, rate and ETA),
 * JSON lines on stderr otherwise or with --json, nothing with --quiet.
 */
import type { TransferEvent } from '../registry/transfer/events.js';
import { formatBytes, shortDigest } from './render.js';

export interface ProgressRenderer {
  onEvent(e: TransferEvent): void;
  stop(): void;
}

export type ProgressMode = 'bars' | 'json' | 'quiet';

export function progressMode(opts: { quiet?: boolean; json?: boolean }, stderrIsTTY: boolean): ProgressMode {
  if (opts.quiet) return 'quiet';
  if (opts.json || !stderrIsTTY) return 'json';
  return 'bars';
}

/** JSON lines, with per-blob progress throttled so a big layer does not flood the log. */
export function jsonProgress(write: (line: string) => void, intervalMs = 500): ProgressRenderer {
  const last = new Map<string, number>();
  return {
    onEvent(e) {
      if (e.type === 'blob-progress') {
        const now = Date.now();
        if (now - (last.get(e.digest) ?? 0) < intervalMs) return;
        last.set(e.digest, now);
      }
      write(`${JSON.stringify({ progress: e })}\n`);
    },
    stop() {},
  };
}

export async function barProgress(stream: NodeJS.WritableStream): Promise<ProgressRenderer> {
  const { MultiBar, Presets } = await import('cli-progress');
  const multi = new MultiBar(
    {
      stream: stream as NodeJS.WriteStream,
      format: ' {label} |{bar}| {percentage}% {done}/{size} {speed} ETA {eta_formatted}',
      hideCursor: true,
      clearOnComplete: false,
      stopOnComplete: false,
      autopadding: true,
      formatValue: (v, _o, type) => (type === 'value' || type === 'total' ? formatBytes(v) : String(v)),
    },
    Presets.shades_classic,
  );
  const started = Date.now();
  let total: ReturnType<typeof multi.create> | undefined;
  let totalBytes = 0;
  let doneBytes = 0;
  const perBlob = new Map<string, { bar: ReturnType<typeof multi.create>; bytes: number }>();
  const speed = () => `${formatBytes(doneBytes / Math.max(0.001, (Date.now() - started) / 1000))}/s`;
  const update = () =>
    total?.update(doneBytes, { done: formatBytes(doneBytes), size: formatBytes(totalBytes), speed: speed() });
  return {
    onEvent(e) {
      if (e.type === 'plan') {
        totalBytes = e.bytes;
        total = multi.create(Math.max(1, e.bytes), 0, {
          label: 'total       ',
          done: '0 B',
          size: formatBytes(e.bytes),
          speed: '',
        });
      } else if (e.type === 'blob-start') {
        const bar = multi.create(Math.max(1, e.size), 0, {
          label: shortDigest(e.digest).slice(7, 19),
          done: '0 B',
          size: formatBytes(e.size),
          speed: '',
        });
        perBlob.set(e.digest, { bar, bytes: 0 });
      } else if (e.type === 'blob-progress' || e.type === 'blob-done') {
        const entry = perBlob.get(e.digest);
        const bytes = e.type === 'blob-done' ? e.size : e.bytes;
        if (entry) {
          doneBytes += bytes - entry.bytes;
          entry.bytes = bytes;
          entry.bar.update(bytes, {
            done: formatBytes(bytes),
            size: formatBytes(e.size),
            speed: e.type === 'blob-done' ? e.outcome : '',
          });
          if (e.type === 'blob-done') {
            multi.remove(entry.bar);
            perBlob.delete(e.digest);
          }
        }
        update();
      }
    },
    stop() {
      update();
      multi.stop();
    },
  };
}
