/**
 * Traces and metrics. Spans and OpenTelemetry metrics go through `@opentelemetry/api`, a no-op until the
 * application installs an OpenTelemetry SDK. The same measurements can also be kept in a prom-client
 * registry (`enablePrometheus()`), which our servers expose at `/metrics`. Attribute values are
 * redacted and never include credentials.
 */

import type { ServerResponse } from 'node:http';
import { type Attributes, metrics, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Registry } from 'prom-client';
import { DockerHubError } from './errors.js';
import { redactText } from './redact.js';
import { VERSION } from './version.js';

const NAME = 'dockerhub-api';

export type TelemetryAttributes = Record<string, string | number | boolean | undefined>;

interface PromMetrics {
  registry: Registry;
  operations: import('prom-client').Counter<'operation' | 'status'>;
  duration: import('prom-client').Histogram<'operation'>;
  bytes: import('prom-client').Counter<'direction'>;
  transfers: import('prom-client').Counter<'kind'>;
  rateLimit: import('prom-client').Gauge<'kind'>;
  errors: import('prom-client').Counter<'type'>;
  served: import('prom-client').Counter<'server' | 'operation' | 'status'>;
}

let prom: PromMetrics | undefined;

function meter() {
  return metrics.getMeter(NAME, VERSION);
}

// OpenTelemetry instruments are cheap no-ops without an SDK; create them lazily, once.
let otel:
  | {
      operations: ReturnType<ReturnType<typeof meter>['createCounter']>;
      duration: ReturnType<ReturnType<typeof meter>['createHistogram']>;
      bytes: ReturnType<ReturnType<typeof meter>['createCounter']>;
      transfers: ReturnType<ReturnType<typeof meter>['createCounter']>;
      errors: ReturnType<ReturnType<typeof meter>['createCounter']>;
      rateLimit: ReturnType<ReturnType<typeof meter>['createGauge']>;
      served: ReturnType<ReturnType<typeof meter>['createCounter']>;
    }
  | undefined;

function instruments() {
  if (!otel) {
    const m = meter();
    otel = {
      operations: m.createCounter('dockerhub.operations', {
        description: 'SDK operations by operation and status',
      }),
      duration: m.createHistogram('dockerhub.operation.duration', {
        description: 'SDK operation latency',
        unit: 's',
      }),
      bytes: m.createCounter('dockerhub.bytes', {
        description: 'Bytes transferred by direction',
        unit: 'By',
      }),
      transfers: m.createCounter('dockerhub.transfers', { description: 'Image pulls and pushes' }),
      errors: m.createCounter('dockerhub.errors', { description: 'Errors by type' }),
      rateLimit: m.createGauge('dockerhub.ratelimit.remaining', {
        description: 'Latest rate-limit remaining',
      }),
      served: m.createCounter('dockerhub.server.requests', {
        description: 'Requests our servers answered, by server, operation and status',
      }),
    };
  }
  return otel;
}

/**
 * Starts keeping metrics in a prom-client registry as well (for a `/metrics` endpoint). prom-client is
 * loaded only here, so SDK users who never call it do not pay for it.
 */
export async function enablePrometheus(): Promise<Registry> {
  if (prom) return prom.registry;
  const client = await import('prom-client');
  const registry = new client.Registry();
  prom = {
    registry,
    operations: new client.Counter({
      name: 'dockerhub_operations_total',
      help: 'SDK operations by operation and status',
      labelNames: ['operation', 'status'],
      registers: [registry],
    }),
    duration: new client.Histogram({
      name: 'dockerhub_operation_duration_seconds',
      help: 'SDK operation latency',
      labelNames: ['operation'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [registry],
    }),
    bytes: new client.Counter({
      name: 'dockerhub_bytes_total',
      help: 'Bytes transferred',
      labelNames: ['direction'],
      registers: [registry],
    }),
    transfers: new client.Counter({
      name: 'dockerhub_transfers_total',
      help: 'Image pulls and pushes',
      labelNames: ['kind'],
      registers: [registry],
    }),
    rateLimit: new client.Gauge({
      name: 'dockerhub_ratelimit_remaining',
      help: 'Latest rate-limit remaining reported by the server',
      labelNames: ['kind'],
      registers: [registry],
    }),
    errors: new client.Counter({
      name: 'dockerhub_errors_total',
      help: 'Errors by type',
      labelNames: ['type'],
      registers: [registry],
    }),
    served: new client.Counter({
      name: 'dockerhub_server_requests_total',
      help: 'Requests our servers answered, by server, operation and status',
      labelNames: ['server', 'operation', 'status'],
      registers: [registry],
    }),
  };
  return registry;
}

/** Prometheus text exposition of the kept metrics ('' until `enablePrometheus()`). */
export async function prometheusText(): Promise<string> {
  return prom ? prom.registry.metrics() : '';
}

/** Counts a request one of our servers (the emulator, the webhook receiver) answered. */
export function recordServedRequest(server: string, operation: string, status: number): void {
  const labels = { server, operation, status: String(status) };
  instruments().served.add(1, labels);
  prom?.served.inc(labels);
}

/** Answers a `GET /metrics` with the Prometheus text of this process's metrics (empty until enabled). */
export async function serveMetrics(res: ServerResponse): Promise<void> {
  const text = await prometheusText();
  res.writeHead(200, {
    'content-type': 'text/plain; version=0.0.4; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}

/** For tests and long-lived servers that want a fresh slate. */
export function disablePrometheus(): void {
  prom = undefined;
}

function cleanAttributes(attrs: TelemetryAttributes): Attributes {
  const out: Attributes = {};
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined) continue;
    out[k] = typeof v === 'string' ? redactText(v) : v;
  }
  return out;
}

function statusOf(err: unknown): string {
  if (err instanceof DockerHubError && err.status !== undefined) return String(err.status);
  return 'error';
}

/**
 * Runs `fn` as one SDK operation: a span named `operation` (e.g. `docker.manifest.get`) with the given
 * attributes, the operation counter and latency histogram, and the error counter on failure.
 */
export async function instrument<T>(
  operation: string,
  attributes: TelemetryAttributes,
  fn: (span: { setAttributes(a: TelemetryAttributes): void }) => Promise<T>,
): Promise<T> {
  const tracer = trace.getTracer(NAME, VERSION);
  return tracer.startActiveSpan(operation, { attributes: cleanAttributes(attributes) }, async (span) => {
    const started = performance.now();
    const handle = { setAttributes: (a: TelemetryAttributes) => span.setAttributes(cleanAttributes(a)) };
    let status = 'ok';
    try {
      return await fn(handle);
    } catch (err) {
      status = statusOf(err);
      const type = err instanceof Error ? err.name : 'Error';
      span.recordException({
        name: type,
        message: redactText(err instanceof Error ? err.message : String(err)),
      });
      span.setStatus({ code: SpanStatusCode.ERROR, message: type });
      span.setAttribute('error.type', type);
      instruments().errors.add(1, { type });
      prom?.errors.inc({ type });
      throw err;
    } finally {
      const seconds = (performance.now() - started) / 1000;
      span.setAttribute('dockerhub.status', status);
      instruments().operations.add(1, { operation, status });
      instruments().duration.record(seconds, { operation });
      prom?.operations.inc({ operation, status });
      prom?.duration.observe({ operation }, seconds);
      span.end();
    }
  });
}

export function recordBytes(direction: 'upload' | 'download', bytes: number): void {
  if (bytes <= 0) return;
  instruments().bytes.add(bytes, { direction });
  prom?.bytes.inc({ direction }, bytes);
}

export function recordTransfer(kind: 'pull' | 'push' | 'copy'): void {
  instruments().transfers.add(1, { kind });
  prom?.transfers.inc({ kind });
}

export function recordRateLimit(kind: 'hub' | 'registry', remaining: number | undefined): void {
  if (remaining === undefined) return;
  instruments().rateLimit.record(remaining, { kind });
  prom?.rateLimit.set({ kind }, remaining);
}
