import { Counter, Gauge, Histogram, type Metric, register } from 'prom-client';

function getOrCreate<T extends Metric>(name: string, create: () => T): T {
  // Two gateways in one process (a spec's two instances) share the default registry's metrics.
  return (register.getSingleMetric(name) as T | undefined) ?? create();
}

/** The live gateway's metrics, in prom-client's default registry (served by `/metrics`); labels are bounded. */
export function liveMetrics() {
  return {
    clients: getOrCreate(
      'ioc_gateway_clients',
      () =>
        new Gauge({
          name: 'ioc_gateway_clients',
          help: 'Connected live clients, by audience (operator: the wall; agency)',
          labelNames: ['audience'] as const,
        }),
    ),
    messagesOut: getOrCreate(
      'ioc_gateway_messages_out_total',
      () =>
        new Counter({
          name: 'ioc_gateway_messages_out_total',
          help: 'Changes (live or replayed) and snapshots written to live clients, by kind (event, replay, snapshot)',
          labelNames: ['kind'] as const,
        }),
    ),
    slow: getOrCreate(
      'ioc_gateway_slow_client_total',
      () =>
        new Counter({
          name: 'ioc_gateway_slow_client_total',
          help: 'What slow clients cost: traffic changes dropped, KPI values coalesced, clients told to resync',
          labelNames: ['outcome'] as const,
        }),
    ),
    resumes: getOrCreate(
      'ioc_gateway_resumes_total',
      () =>
        new Counter({
          name: 'ioc_gateway_resumes_total',
          help: 'Subscriptions by how they started: resumed, snapshot, or why a resume fell back to a snapshot',
          labelNames: ['outcome'] as const,
        }),
    ),
    clientErrors: getOrCreate(
      'ioc_gateway_client_errors_total',
      () =>
        new Counter({
          name: 'ioc_gateway_client_errors_total',
          help: 'Client messages answered with an error, by code',
          labelNames: ['code'] as const,
        }),
    ),
    delay: getOrCreate(
      'ioc_gateway_delivery_delay_seconds',
      () =>
        new Histogram({
          name: 'ioc_gateway_delivery_delay_seconds',
          help: 'From event time to the push that writes the change to every client it concerns',
          labelNames: ['stream'] as const,
          buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
        }),
    ),
  };
}

export type LiveMetrics = ReturnType<typeof liveMetrics>;
