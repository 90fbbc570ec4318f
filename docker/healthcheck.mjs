// The image's HEALTHCHECK (docker/Dockerfile): exits 0 when the service APP names answers 2xx on /health/ready, 1
// otherwise. Node's fetch, so the slim image needs no curl. PORT as the service reads it, else that service's
// default (test/deploy/dockerfile.spec.ts holds these to the apps' config).
export const DEFAULT_PORTS = { gateway: 3000, reports: 3001, intake: 3002, kpi: 3003, simulator: 3004 };

const port = process.env.PORT || DEFAULT_PORTS[process.env.APP ?? 'gateway'];
try {
  const response = await fetch(`http://127.0.0.1:${port}/health/ready`, {
    signal: AbortSignal.timeout(4_000),
  });
  process.exit(response.ok ? 0 : 1);
} catch {
  process.exit(1);
}
