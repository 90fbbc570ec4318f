import { bearerTokenFrom, principalOfSocket, socketAuthMiddleware, TokenVerifier } from '@ioc/auth';
import {
  LIVE_NAMESPACE,
  type LiveErrorMessage,
  LiveEvents,
  type LiveSubscribeAck,
  validateLiveSubscription,
} from '@ioc/contracts';
import {
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
  WebSocketGateway,
} from '@nestjs/websockets';
import { decodeJwt } from 'jose';
import { performance } from 'node:perf_hooks';
import type { Namespace } from 'socket.io';
import { GatewayConfig } from '../config';
import { RateLimiter } from './client-buffer';
import { LiveClient, type LiveSocket } from './live-client';
import { audienceOf } from './live-filter';
import { LiveHub } from './live-hub';
import { liveMetrics } from './live-metrics';

/** Largest client message read; a larger one is answered with `LIVE.MESSAGE_TOO_LARGE` (a subscription is small). */
export const MAX_CLIENT_MESSAGE_BYTES = 8 * 1024;
/** Beyond this, Socket.IO closes the offending connection itself (and only it) before the gateway sees it. */
const MAX_HTTP_BUFFER_BYTES = 64 * 1024;
/** Longest a timer can wait in Node; a token living longer is checked again when it fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;

const liveError = (code: string, message: string, details?: unknown): LiveErrorMessage => ({
  code,
  message,
  ...(details === undefined ? {} : { details }),
});

/**
 * The live push over Socket.IO, namespace `/live`: the handshake's token is checked (operators and agencies
 * only), then a client sends `live:subscribe` and receives a snapshot or the changes it missed, then live changes
 * (see the gateway's README for the protocol). A client's bad, oversized or too frequent messages are answered
 * with `live:error` (or a refusing ack); its connection stays open, and other clients never notice.
 */
@WebSocketGateway({ namespace: LIVE_NAMESPACE, maxHttpBufferSize: MAX_HTTP_BUFFER_BYTES })
export class LiveGateway implements OnGatewayInit<Namespace>, OnGatewayConnection, OnGatewayDisconnect {
  private readonly metrics = liveMetrics();
  private readonly clients = new WeakMap<LiveSocket, LiveClient>();

  constructor(
    private readonly hub: LiveHub,
    private readonly verifier: TokenVerifier,
    private readonly config: GatewayConfig,
  ) {}

  afterInit(namespace: Namespace): void {
    namespace.use(socketAuthMiddleware(this.verifier, { roles: ['operator', 'agency'] }));
  }

  handleConnection(socket: LiveSocket): void {
    const audience = audienceOf(principalOfSocket(socket));
    if (audience === undefined) {
      socket.disconnect(true);
      return;
    }
    const client = new LiveClient(
      socket,
      audience,
      {
        maxPending: this.config.GATEWAY_CLIENT_MAX_PENDING,
        maxInFlight: this.config.GATEWAY_CLIENT_MAX_IN_FLIGHT,
      },
      this.metrics,
    );
    this.clients.set(socket, client);
    this.hub.connect(client);
    this.expireWithToken(socket);
    const limiter = new RateLimiter(this.config.GATEWAY_CLIENT_RATE_PER_SECOND, () => performance.now());
    socket.onAny((event: unknown, ...args: unknown[]) => {
      const last = args[args.length - 1];
      const ack = typeof last === 'function' ? (last as (answer: LiveSubscribeAck) => void) : undefined;
      const refuse = (error: LiveErrorMessage) => {
        this.metrics.clientErrors.inc({ code: error.code });
        if (ack) ack({ ok: false, error });
        else socket.emit(LiveEvents.error, error);
      };
      if (!limiter.allow()) {
        refuse(liveError('LIVE.RATE_LIMITED', 'Too many messages; slow down'));
        return;
      }
      if (event !== LiveEvents.subscribe) {
        refuse(liveError('LIVE.UNKNOWN_EVENT', `Unknown event; send ${LiveEvents.subscribe}`));
        return;
      }
      const body = args[0];
      if (byteLength(body) > MAX_CLIENT_MESSAGE_BYTES) {
        refuse(
          liveError('LIVE.MESSAGE_TOO_LARGE', `A subscription is at most ${MAX_CLIENT_MESSAGE_BYTES} bytes`),
        );
        return;
      }
      const validated = validateLiveSubscription(body);
      if (!validated.ok) {
        refuse(liveError('LIVE.INVALID_SUBSCRIPTION', 'Invalid subscription', { reason: validated.detail }));
        return;
      }
      this.hub.subscribe(client, validated.data).then(
        (answer) => ack?.(answer),
        () => refuse(liveError('LIVE.UNAVAILABLE', 'The subscription could not be started; try again')),
      );
    });
  }

  handleDisconnect(socket: LiveSocket): void {
    const client = this.clients.get(socket);
    if (client) this.hub.disconnect(client);
    clearTimeout(socket.data.expiry as NodeJS.Timeout | undefined);
  }

  /** Tells the client when its token expires, then closes the connection: a new one needs a fresh token. */
  private expireWithToken(socket: LiveSocket): void {
    const expiresAt = tokenExpiry(socket);
    if (expiresAt === undefined) return;
    const check = () => {
      const left = expiresAt - Date.now();
      if (left > 0) {
        socket.data.expiry = setTimeout(check, Math.min(left, MAX_TIMER_MS));
        return;
      }
      socket.emit(LiveEvents.sessionExpired, { expiredAt: new Date(expiresAt).toISOString() });
      socket.disconnect(true);
    };
    check();
  }
}

/** The `exp` of the token the handshake carried (already verified by the middleware), in ms. */
function tokenExpiry(socket: LiveSocket): number | undefined {
  try {
    const given = socket.handshake.auth?.token;
    const token =
      typeof given === 'string'
        ? given.replace(/^Bearer /i, '')
        : bearerTokenFrom(socket.handshake.headers.authorization);
    const { exp } = decodeJwt(token);
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

function byteLength(value: unknown): number {
  try {
    return Buffer.byteLength(JSON.stringify(value) ?? '');
  } catch {
    // Too deep to write back: no subscription is.
    return Number.POSITIVE_INFINITY;
  }
}
