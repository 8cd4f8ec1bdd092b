/**
 * The one renderer of the CLI: commands return data; this prints it as JSON (`--json`) or as text for
 * people (key/value blocks and aligned tables).
 */

export interface Output {
  write(text: string): void;
}

export const stdout: Output = { write: (t) => process.stdout.write(t) };

export function renderJson(data: unknown, out: Output = stdout): void {
  out.write(`${JSON.stringify(data, null, 2)}\n`);
}

/** Aligned columns; the last column is never padded. */
export function table(headers: string[], rows: Array<Array<string | number | undefined>>): string {
  const cells = [headers, ...rows.map((r) => r.map((c) => (c === undefined ? '-' : String(c))))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return `${cells
    .map((r) =>
      r
        .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')}\n`;
}

/** Unknown stays undefined: keyValues skips it, table prints `-`. */
export const yesNo = (v: boolean | undefined) => (v === undefined ? undefined : v ? 'yes' : 'no');

/** `Key:   value` lines, skipping empty values. */
export function keyValues(pairs: Array<[string, string | number | undefined]>): string {
  const shown = pairs.filter(([, v]) => v !== undefined && v !== '');
  const width = Math.max(0, ...shown.map(([k]) => k.length)) + 1;
  return `${shown.map(([k, v]) => `${`${k}:`.padEnd(width)} ${v}`).join('\n')}\n`;
}

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB'];
/** Decimal units, as docker and skopeo print sizes. */
export function formatBytes(n: number): string {
  let value = n;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${n} B` : `${value.toFixed(value >= 100 ? 0 : 1)} ${UNITS[unit]}`;
}

/** `sha256:0123456789ab` — enough to recognise, short enough for a table. */
export function shortDigest(digest: string): string {
  const i = digest.indexOf(':');
  return i < 0 ? digest.slice(0, 12) : `${digest.slice(0, i)}:${digest.slice(i + 1, i + 13)}`;
}
