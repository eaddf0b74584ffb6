/** Prometheus metrics for the API and the pipeline. */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The metric set one app instance exposes at /metrics. */
export interface ApiMetrics {
  registry: Registry;
  records: Counter<'status'>;
  decisions: Counter<'decision'>;
  batchSize: Histogram<string>;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
}

/** Creates a fresh registry (one per app, so tests do not share counters). */
export function createMetrics(): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    records: new Counter({
      name: 'parcelgate_records_total',
      help: 'Submitted source records by outcome',
      labelNames: ['status'],
      registers: [registry],
    }),
    decisions: new Counter({
      name: 'parcelgate_decisions_total',
      help: 'Assessment decisions of created or reassessed consignments',
      labelNames: ['decision'],
      registers: [registry],
    }),
    batchSize: new Histogram({
      name: 'parcelgate_batch_size',
      help: 'Records per submitted batch',
      buckets: [1, 10, 100, 1000, 5000, 10000],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'parcelgate_http_request_duration_seconds',
      help: 'HTTP request latency',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.005, 0.02, 0.1, 0.5, 2, 10],
      registers: [registry],
    }),
  };
}
