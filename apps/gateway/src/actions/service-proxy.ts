import {
  CORRELATION_ID_HEADER,
  currentCorrelationId,
  currentTraceparent,
  TRACEPARENT_HEADER,
} from '@ioc/observability';
import { Injectable, Logger } from '@nestjs/common';
import { GatewayConfig } from '../config';

/** The services the gateway forwards operators' actions to. */
export type Upstream = 'reports' | 'intake';

/** A forwarded answer: the status and JSON body as the service gave them. */
export interface ProxiedAnswer {
  status: number;
  body: unknown;
}

/** Longest answer relayed; an action's answer is one resource. */
const MAX_ANSWER_BYTES = 1024 * 1024;

/**
 * Forwards an action to the service that owns the resource, with the caller's own bearer token (the service
 * decides what the caller may do), and relays its answer: 2xx and 4xx as they are, anything else (the service
 * down, slow, answering 5xx or not JSON) as a 502 `GATEWAY.UPSTREAM_UNAVAILABLE`.
 */
@Injectable()
export class ServiceProxy {
  private readonly logger = new Logger(ServiceProxy.name);
  private readonly bases: Record<Upstream, string>;

  constructor(private readonly config: GatewayConfig) {
    this.bases = { reports: config.GATEWAY_REPORTS_URL, intake: config.GATEWAY_INTAKE_URL };
  }

  async post(upstream: Upstream, path: string, authorization: string, body: unknown): Promise<ProxiedAnswer> {
    const url = new URL(path, this.bases[upstream].replace(/\/?$/, '/'));
    const correlationId = currentCorrelationId();
    const traceparent = currentTraceparent();
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          authorization,
          'content-type': 'application/json',
          accept: 'application/json',
          ...(correlationId === undefined ? {} : { [CORRELATION_ID_HEADER]: correlationId }),
          ...(traceparent === undefined ? {} : { [TRACEPARENT_HEADER]: traceparent }),
        },
        body: JSON.stringify(body ?? {}),
        signal: AbortSignal.timeout(this.config.GATEWAY_UPSTREAM_TIMEOUT),
        redirect: 'error',
      });
      const text = await response.text();
      if (response.status >= 500 || Buffer.byteLength(text) > MAX_ANSWER_BYTES) {
        return unavailable(upstream, `answered ${response.status}`);
      }
      try {
        return { status: response.status, body: text.length === 0 ? {} : JSON.parse(text) };
      } catch {
        return unavailable(upstream, 'answered something other than JSON');
      }
    } catch (error) {
      this.logger.warn(
        { upstream, error: error instanceof Error ? error.name : 'unknown' },
        'upstream failed',
      );
      return unavailable(upstream, 'could not be reached in time');
    }
  }
}

function unavailable(upstream: Upstream, why: string): ProxiedAnswer {
  return {
    status: 502,
    body: {
      statusCode: 502,
      code: 'GATEWAY.UPSTREAM_UNAVAILABLE',
      message: `The ${upstream} service ${why}; try again`,
      details: { upstream },
      correlationId: currentCorrelationId() ?? '',
    },
  };
}
