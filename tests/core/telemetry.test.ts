/**
 * Spans and metrics of SDK operations, captured with OpenTelemetry's in-memory exporters, and the
 * Prometheus text our servers expose. The registry is real; no attribute may carry a secret.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { metrics, trace } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enablePrometheus, prometheusText } from '../../src/core/telemetry.js';
import { startEmulator } from '../../src/emulator/index.js';
import { HubClient } from '../../src/hub/index.js';
import { inspectImage, RegistryClient } from '../../src/registry/index.js';
import { writeOciLayout } from '../helpers/oci-image.js';
import { type RunningRegistry, startRegistry } from '../helpers/registry.js';
import { pushLayout } from '../helpers/skopeo.js';

const spans = new InMemorySpanExporter();
const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
const reader = new PeriodicExportingMetricReader({
  exporter: metricExporter,
  exportIntervalMillis: 3_600_000,
});
let registry: RunningRegistry;
let work: string;

beforeAll(async () => {
  trace.setGlobalTracerProvider(
    new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }),
  );
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
  await enablePrometheus();
  registry = await startRegistry({ auth: 'none' });
  work = await mkdtemp(join(tmpdir(), 'dh-otel-'));
  const layout = await writeOciLayout(join(work, 'img'), { tag: 't', layers: [512] });
  await pushLayout(layout.dir, 't', `${registry.host}/otel/img:t`);
}, 60_000);

afterAll(async () => {
  await registry?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('telemetry', () => {
  it('emits a span per SDK operation with image, digest and size attributes', async () => {
    const client = new RegistryClient();
    const result = await inspectImage(client, `${registry.host}/otel/img:t`);
    await client.close();
    const got = spans.getFinishedSpans().find((s) => s.name === 'docker.manifest.get');
    expect(got?.attributes).toMatchObject({
      image: `${registry.host}/otel/img:t`,
      digest: result.digest,
      'dockerhub.status': 'ok',
    });
    expect(got?.attributes.size).toBeGreaterThan(0);
  });

  it('marks failed operations with the error type and HTTP status', async () => {
    const client = new RegistryClient();
    await expect(client.manifests.get(`${registry.host}/otel/img:missing`)).rejects.toThrow();
    await client.close();
    const failed = spans.getFinishedSpans().find((s) => s.attributes['dockerhub.status'] === '404');
    expect(failed?.name).toBe('docker.manifest.get');
    expect(failed?.attributes['error.type']).toBe('NotFoundError');
  });

  it('counts operations by status and records latency as OpenTelemetry metrics', async () => {
    await reader.forceFlush();
    const all = metricExporter.getMetrics().flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics));
    const ops = all.filter((m) => m.descriptor.name === 'dockerhub.operations').at(-1);
    const points = ops?.dataPoints.map((p) => ({ ...p.attributes, value: p.value })) ?? [];
    expect(points).toContainEqual({ operation: 'docker.manifest.get', status: 'ok', value: 1 });
    expect(points).toContainEqual({ operation: 'docker.manifest.get', status: '404', value: 1 });
    expect(all.some((m) => m.descriptor.name === 'dockerhub.operation.duration')).toBe(true);
    expect(all.some((m) => m.descriptor.name === 'dockerhub.errors')).toBe(true);
  });

  it('exposes the same measurements as Prometheus text', async () => {
    const text = await prometheusText();
    expect(text).toContain('dockerhub_operations_total{operation="docker.manifest.get",status="ok"} 1');
    expect(text).toContain('dockerhub_operations_total{operation="docker.manifest.get",status="404"} 1');
    expect(text).toContain('dockerhub_errors_total{type="NotFoundError"} 1');
    expect(text).toMatch(/dockerhub_operation_duration_seconds_count\{operation="docker.manifest.get"\} 2/);
  });

  it('spans Hub logins and Hub calls, naming the account but never the password', async () => {
    const secret = 'SENTINEL-s3cr3t-do-not-leak';
    const emu = await startEmulator({
      seed: {
        users: [{ username: 'otel', password: secret }],
        repositories: [{ namespace: 'otel', name: 'r' }],
      },
    });
    const hub = new HubClient({
      baseUrl: emu.url,
      credentials: { username: 'otel', password: secret, env: {}, useDockerConfig: false },
    });
    await hub.repositories.list({ namespace: 'otel' }).toArray();
    await hub.close();
    await emu.stop();
    const names = spans.getFinishedSpans().map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(['docker.auth.login', 'docker.repo.list']));
    const login = spans.getFinishedSpans().find((s) => s.name === 'docker.auth.login');
    expect(login?.attributes).toMatchObject({ account: 'otel', 'dockerhub.status': 'ok' });
    expect(JSON.stringify(spans.getFinishedSpans().map((s) => s.attributes))).not.toContain(secret);
  });
});
