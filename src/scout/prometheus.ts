/**
 * A parser for the Prometheus text exposition format (0.0.4) and the OpenMetrics text it overlaps with:
 * `# HELP`, `# TYPE`, samples `name{label="value",…} value [timestamp]`, label escapes (\\ \" \n),
 * `+Inf`/`-Inf`/`NaN`, and `# EOF`.
 */
import { DockerHubError } from '../core/errors.js';

export interface PrometheusSample {
  name: string;
  labels: Record<string, string>;
  value: number;
  /** Milliseconds since the epoch, when the line carries one. */
  timestamp?: number;
}

export interface PrometheusText {
  samples: PrometheusSample[];
  /** Metric name → type (`gauge`, `counter`, …) from `# TYPE`. */
  types: Record<string, string>;
  /** Metric name → help text from `# HELP`. */
  help: Record<string, string>;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*/;

export class PrometheusParseError extends DockerHubError {}

export function parsePrometheusText(text: string): PrometheusText {
  const out: PrometheusText = { samples: [], types: {}, help: {} };
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).replace(/\r$/, '').trim();
    if (!line) continue;
    if (line.startsWith('#')) {
      const m = /^#\s*(HELP|TYPE)\s+([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(.*)$/.exec(line);
      if (m?.[1] === 'HELP') out.help[m[2] as string] = unescapeHelp(m[3] ?? '');
      else if (m?.[1] === 'TYPE') out.types[m[2] as string] = (m[3] ?? '').trim();
      if (line === '# EOF') break;
      continue;
    }
    try {
      out.samples.push(parseSample(line));
    } catch (err) {
      throw new PrometheusParseError(`unreadable metrics line ${i + 1}: ${(err as Error).message}`);
    }
  }
  return out;
}

function parseSample(line: string): PrometheusSample {
  const name = NAME.exec(line)?.[0];
  if (!name) throw new Error('no metric name');
  let rest = line.slice(name.length);
  const labels: Record<string, string> = {};
  if (rest.startsWith('{')) {
    rest = rest.slice(1);
    for (;;) {
      rest = rest.trimStart();
      if (rest.startsWith('}')) {
        rest = rest.slice(1);
        break;
      }
      const label = LABEL.exec(rest)?.[0];
      if (!label) throw new Error('bad label name');
      rest = rest.slice(label.length).trimStart();
      if (!rest.startsWith('="') && !rest.startsWith('= "')) throw new Error(`label ${label} has no value`);
      rest = rest.slice(rest.indexOf('"') + 1);
      let value = '';
      for (;;) {
        const c = rest[0];
        if (c === undefined) throw new Error(`unterminated value of label ${label}`);
        rest = rest.slice(1);
        if (c === '"') break;
        if (c === '\\') {
          const e = rest[0];
          rest = rest.slice(1);
          value += e === 'n' ? '\n' : (e ?? '');
        } else value += c;
      }
      labels[label] = value;
      rest = rest.trimStart();
      if (rest.startsWith(',')) rest = rest.slice(1);
      else if (!rest.startsWith('}')) throw new Error('expected , or } after a label');
    }
  }
  const fields = rest.trim().split(/\s+/);
  const value = parseValue(fields[0]);
  const timestamp = fields[1] === undefined ? undefined : Number(fields[1]);
  if (timestamp !== undefined && !Number.isFinite(timestamp)) throw new Error('bad timestamp');
  return { name, labels, value, ...(timestamp === undefined ? {} : { timestamp }) };
}

function parseValue(v: string | undefined): number {
  if (v === undefined || v === '') throw new Error('no value');
  if (v === '+Inf' || v === 'Inf') return Number.POSITIVE_INFINITY;
  if (v === '-Inf') return Number.NEGATIVE_INFINITY;
  if (v === 'NaN') return Number.NaN;
  const n = Number(v);
  if (Number.isNaN(n)) throw new Error(`bad value "${v}"`);
  return n;
}

function unescapeHelp(text: string): string {
  return text.replace(/\\(\\|n)/g, (_m, c: string) => (c === 'n' ? '\n' : '\\'));
}
