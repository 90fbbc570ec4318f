/**
 * The live gateway under BENCH_CLIENTS (1,000) concurrent Socket.IO clients, in one run:
 *   (a) end-to-end delay from a change's event time (the instant it was due to be produced, open loop) to its receipt
 *       by every client, at BENCH_RATE (200) changes/s for BENCH_SECONDS (15) after a warm-up: the gateway reads
 *       the topics, folds and fans out with cursors, per-client buffers and filters;
 *   (b) the same changes, same rate and clients, through a bare Socket.IO server: a kafkajs consumer of the same
 *       topics broadcasting each decoded event to every client (`io.emit`), the floor;
 *   (b') the same bare server batching as the gateway does: one `io.emit` per push interval of the events read
 *       since the last, the floor of a batched push;
 *   (c) the gateway restarted while BENCH_RATE changes/s go on being produced for 2 s: the time for every client
 *       to reconnect with its last cursor and hold exactly what it missed.
 * The servers run in this process, the clients in BENCH_CLIENT_PROCESSES child processes (this file again,
 * `clients` argument), which only decode the packets and time each change.
 * Loopback only, bounded; deletes its topics; writes its section of docs/bench.md.
 * Env: BENCH_CLIENTS (1000), BENCH_CLIENT_PROCESSES (2), BENCH_RATE (200), BENCH_SECONDS (15),
 * BENCH_WARMUP_SECONDS (3), GATEWAY_PUSH_INTERVAL (the gateway's default), KAFKA_BROKERS (127.0.0.1:9092).
 * Run: `npm run bench:gateway`.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { DevTokenIssuer } from '@ioc/auth';
import {
  createEvent,
  decodeKafkaMessage,
  EventTypes,
  type IocEvent,
  kpiUpdateSubject,
  LIVE_STREAM_TOPICS,
  LIVE_STREAMS,
  type LiveStream,
  TOPIC_CATALOG,
  topicName,
} from '@ioc/contracts';
import { createKafka, EventProducer, provisionTopics, type TopicEvent } from '@ioc/messaging';
import { loadConfig } from '@ioc/observability';
import type { INestApplication } from '@nestjs/common';
import { Server } from 'socket.io';
import { io, type Socket } from 'socket.io-client';
import { createApp } from '../../apps/gateway/src/bootstrap';
import { gatewayEnv } from '../../apps/gateway/src/config';
import { assertLoopback, BENCH_BROKERS, until, writeBenchSection } from '../support';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 1_000);
const PROCESSES = Math.max(1, Math.min(CLIENTS, Number(process.env.BENCH_CLIENT_PROCESSES ?? 2)));
const RATE = Number(process.env.BENCH_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const DOWN_SECONDS = 2;
const TARGETS = { p99Ms: 150, ratio: 1.5 };
const TICK_MS = 50;

// ---------------------------------------------------------------------------------------------- the clients

type ToClients =
  | { kind: 'connect'; url: string; token?: string; resume: boolean }
  | { kind: 'measure'; from: number }
  | { kind: 'report' }
  | { kind: 'close' };

type FromClients =
  | { kind: 'connected'; ms: number; resumed: number; missed: number[] }
  /** Delays in whole ms as [ms, count] pairs, for the parent to merge the children's. */
  | { kind: 'report'; histogram: [number, number][]; messages: number; cpuMs: number }
  | { kind: 'closed' };

/** Longest delay told apart (ms); longer ones count as this. */
const HISTOGRAM_MS = 600_000;

/** What a client reads of a `live:events` (or the bare `live:event`) message: its cursor and event times. */
interface Timed {
  cursor?: string;
  times: string[];
}

/** BENCH_CLIENT_DECODE: `light` (default) scans live messages for what is timed; `full` decodes them whole. */
const LIGHT = (process.env.BENCH_CLIENT_DECODE ?? 'light') !== 'full';
const LIVE_MESSAGE = /^\["live:events?",/;
const TIME_FIELD = '"time":"';

/**
 * A Socket.IO parser for the measuring clients (socket.io-client's `parser` option): every packet is decoded as
 * socket.io-parser does (handshake, acks, snapshots, errors), except a live message, whose body is scanned for its
 * cursor and its events' times instead of being parsed whole. A real client (a wall, in a browser on its own
 * machine) parses its messages in full; a thousand of them in one Node thread beside the servers measure this
 * machine's JSON parser rather than the push. BENCH_CLIENT_DECODE=full parses them whole.
 */
const lightParser = {
  Encoder: class {
    encode(packet: { type: number; nsp?: string; id?: number; data?: unknown }): string[] {
      let text = String(packet.type);
      if (packet.nsp !== undefined && packet.nsp !== '/') text += `${packet.nsp},`;
      if (packet.id !== undefined) text += String(packet.id);
      if (packet.data !== undefined) text += JSON.stringify(packet.data);
      return [text];
    }
  },
  Decoder: class extends EventEmitter {
    add(chunk: unknown): void {
      if (typeof chunk !== 'string') throw new Error('the gateway sends no binary packets');
      const type = Number(chunk[0]);
      let i = 1;
      let nsp = '/';
      if (chunk[i] === '/') {
        const comma = chunk.indexOf(',', i);
        nsp = comma < 0 ? chunk.slice(i) : chunk.slice(i, comma);
        i = comma < 0 ? chunk.length : comma + 1;
      }
      let id: number | undefined;
      const digits = /^\d+/.exec(chunk.slice(i, i + 16))?.[0];
      if (digits !== undefined) {
        id = Number(digits);
        i += digits.length;
      }
      const body = chunk.slice(i);
      let data: unknown;
      if (type === 2 && LIVE_MESSAGE.test(body)) {
        const name = body.slice(2, body.indexOf('"', 2));
        const at = body.indexOf('"cursor":"');
        const cursor = at < 0 ? undefined : body.slice(at + 10, body.indexOf('"', at + 10));
        const times: string[] = [];
        for (let from = body.indexOf(TIME_FIELD); from >= 0; from = body.indexOf(TIME_FIELD, from)) {
          from += TIME_FIELD.length;
          times.push(body.slice(from, body.indexOf('"', from)));
        }
        data = [name, { ...(cursor === undefined ? {} : { cursor }), times }];
      } else if (body.length > 0) data = JSON.parse(body);
      this.emit('decoded', {
        type,
        nsp,
        ...(id === undefined ? {} : { id }),
        ...(data === undefined ? {} : { data }),
      });
    }
    destroy(): void {
      this.removeAllListeners();
    }
  },
};

/** The times a message carries, decoded whole (BENCH_CLIENT_DECODE=full). */
function timesOf(message: {
  cursor?: string;
  event?: { time: string };
  changes?: { event: { time: string } }[];
}): Timed {
  return {
    ...(message.cursor === undefined ? {} : { cursor: message.cursor }),
    times: message.changes?.map((change) => change.event.time) ?? (message.event ? [message.event.time] : []),
  };
}

/** A child: its share of BENCH_CLIENTS socket.io-client connections, each timing every change it receives. */
function runClients(count: number): void {
  let sockets: Socket[] = [];
  const cursors: (string | undefined)[] = [];
  let measureFrom = Number.POSITIVE_INFINITY;
  let histogram = new Uint32Array(HISTOGRAM_MS + 1);
  let messages = 0;
  let lastReceipt = performance.now();
  const missed: number[] = [];
  const send = (message: FromClients) => process.send?.(message);
  let cpuFrom = process.cpuUsage();
  const time = (at: number, eventTime: string) => {
    const stamped = Date.parse(eventTime);
    if (stamped >= measureFrom) histogram[Math.min(HISTOGRAM_MS, Math.max(0, at - stamped))] += 1;
  };

  process.on('message', async (message: ToClients) => {
    if (message.kind === 'connect') {
      const started = performance.now();
      let resumed = 0;
      for (const socket of sockets) socket.close();
      sockets = await Promise.all(
        Array.from({ length: count }, (_, i) => {
          const socket = io(message.url, {
            transports: ['websocket'],
            reconnection: false,
            forceNew: true,
            ...(LIGHT ? { parser: lightParser } : {}),
            ...(message.token === undefined ? {} : { auth: { token: message.token } }),
          });
          missed[i] = 0;
          const onMessage = (received: unknown) => {
            const at = Date.now();
            const message = LIGHT ? (received as Timed) : timesOf(received as Parameters<typeof timesOf>[0]);
            messages += 1;
            lastReceipt = performance.now();
            if (message.cursor !== undefined) cursors[i] = message.cursor;
            missed[i] += message.times.length;
            for (const eventTime of message.times) time(at, eventTime);
          };
          socket.on('live:events', onMessage);
          socket.on('live:event', onMessage);
          socket.on('live:snapshot', (snapshot: { cursor: string }) => {
            cursors[i] = snapshot.cursor;
          });
          return new Promise<Socket>((resolve, reject) => {
            socket.once('connect_error', reject);
            socket.once('connect', async () => {
              if (message.token !== undefined) {
                missed[i] = 0;
                const ack = await socket
                  .timeout(120_000)
                  .emitWithAck('live:subscribe', message.resume ? { resumeFrom: cursors[i] } : {});
                if (ack.ok && ack.start === 'resumed') resumed += 1;
              }
              resolve(socket);
            });
          });
        }),
      );
      // A resume's replay follows its ack: done once nothing has come for a second.
      lastReceipt = performance.now();
      while (performance.now() - lastReceipt < 1_000) await new Promise((resolve) => setTimeout(resolve, 50));
      send({ kind: 'connected', ms: lastReceipt - started, resumed, missed: [...missed] });
    } else if (message.kind === 'measure') {
      measureFrom = message.from;
      histogram = new Uint32Array(HISTOGRAM_MS + 1);
      messages = 0;
      cpuFrom = process.cpuUsage();
    } else if (message.kind === 'report') {
      const pairs: [number, number][] = [];
      for (let ms = 0; ms <= HISTOGRAM_MS; ms++) if (histogram[ms] > 0) pairs.push([ms, histogram[ms]]);
      const cpu = process.cpuUsage(cpuFrom);
      send({ kind: 'report', histogram: pairs, messages, cpuMs: (cpu.user + cpu.system) / 1000 });
    } else {
      for (const socket of sockets) socket.close();
      send({ kind: 'closed' });
      process.exit(0);
    }
  });
}

// ---------------------------------------------------------------------------------------------- the servers

const missedOf = (missed: readonly number[]) => ({ min: Math.min(...missed), max: Math.max(...missed) });

/** A changing city: mostly traffic and incidents, some reports and KPI values, at `now`. */
function changes(n: number, tick: number, now: Date): { stream: LiveStream; event: IocEvent }[] {
  const place = { lat: 20.85, lon: 106.68 };
  const at = now.toISOString();
  return Array.from({ length: n }, (_, i) => {
    const k = tick * n + i;
    const pick = k % 10;
    if (pick < 4) {
      const segmentId = `bench-seg-${k % 500}`;
      return {
        stream: 'traffic',
        event: createEvent(EventTypes.trafficCongestionChanged, {
          source: '/ioc/bench',
          subject: segmentId,
          time: now,
          data: {
            segmentId,
            level: 'slow',
            speedKmh: 20,
            freeFlowSpeedKmh: 50,
            observedAt: at,
            adminUnitCode: 'u1',
          },
        }),
      };
    }
    if (pick < 7) {
      const incidentId = `bench-inc-${k % 300}`;
      return {
        stream: 'incidents',
        event: createEvent(EventTypes.incidentUpdated, {
          source: '/ioc/bench',
          subject: incidentId,
          time: now,
          data: {
            incidentId,
            source: 'camera',
            cameraId: 'bench-cam',
            class: 'congestion',
            severity: 'medium',
            status: 'open',
            count: 1 + (k % 50),
            firstSeenAt: at,
            lastSeenAt: at,
            location: place,
            adminUnitCode: 'u1',
            occurredAt: at,
          },
        }),
      };
    }
    if (pick < 9) {
      const reportId = `bench-rep-${k % 1000}`;
      return {
        stream: 'reports',
        event: createEvent(EventTypes.reportSubmitted, {
          source: '/ioc/bench',
          subject: reportId,
          time: now,
          data: {
            reportId,
            trackingCode: `BENCH-${k % 1000}`,
            status: 'submitted',
            categoryCode: 'pothole',
            adminUnitCodes: ['u1'],
            location: place,
            channel: 'web',
            submittedAt: at,
            occurredAt: at,
          },
        }),
      };
    }
    const dimension = { kind: 'city' as const, code: 'bench' };
    const periodStart = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000).toISOString();
    return {
      stream: 'kpi',
      event: createEvent(EventTypes.kpiUpdated, {
        source: '/ioc/bench',
        subject: kpiUpdateSubject(`bench-kpi-${k % 5}`, dimension, 'hour', periodStart),
        time: now,
        data: {
          kpiCode: `bench-kpi-${k % 5}`,
          dimension,
          period: 'hour',
          periodStart,
          periodEnd: new Date(Date.parse(periodStart) + 3_600_000).toISOString(),
          value: k,
          direction: 'at-most',
          sampleCount: k,
          lateCount: 0,
          computedAt: at,
        },
      }),
    };
  });
}

async function main(): Promise<void> {
  assertLoopback();
  const suffix = `bench_gw_${randomBytes(4).toString('hex')}`;
  const kafka = createKafka({ clientId: 'bench-gateway', brokers: BENCH_BROKERS, logLevel: 'nothing' });
  const admin = kafka.admin();
  await admin.connect();
  const liveTopics = LIVE_STREAMS.map((stream) => LIVE_STREAM_TOPICS[stream]);
  await provisionTopics(admin, {
    suffix,
    catalog: TOPIC_CATALOG.filter((spec) => liveTopics.includes(spec.name as never)),
  });
  const producer = EventProducer.create(kafka);
  await producer.connect();
  const keysDir = mkdtempSync(path.join(tmpdir(), 'ioc-bench-keys-'));
  const issuer = await DevTokenIssuer.open({ keysDir, nodeEnv: 'development' });
  const token = await issuer.mint({ subject: 'bench-wall', roles: ['operator'], ttlSeconds: 3600 });
  const config = loadConfig(gatewayEnv, {
    KAFKA_BROKERS: BENCH_BROKERS.join(','),
    IOC_TOPIC_SUFFIX: suffix,
    AUTH_DEV_KEYS_DIR: keysDir,
    LOG_LEVEL: 'warn',
    GATEWAY_CLIENT_RATE_PER_SECOND: '50',
    ...(process.env.GATEWAY_PUSH_INTERVAL === undefined
      ? {}
      : { GATEWAY_PUSH_INTERVAL: process.env.GATEWAY_PUSH_INTERVAL }),
  });
  const boot = async () => {
    const app = await createApp(config);
    await app.listen(0, '127.0.0.1');
    return app;
  };
  const urlOf = (app: INestApplication) =>
    `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;

  const shares = Array.from(
    { length: PROCESSES },
    (_, i) => Math.floor(CLIENTS / PROCESSES) + (i < CLIENTS % PROCESSES ? 1 : 0),
  );
  const children: ChildProcess[] = shares.map((share) =>
    fork(__filename, ['clients', String(share)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
  );
  const askOne = <K extends FromClients['kind']>(child: ChildProcess, message: ToClients, kind: K) =>
    new Promise<Extract<FromClients, { kind: K }>>((resolve, reject) => {
      const onMessage = (answer: FromClients) => {
        if (answer.kind !== kind) return;
        child.off('message', onMessage);
        resolve(answer as Extract<FromClients, { kind: K }>);
      };
      child.on('message', onMessage);
      child.once('exit', (code) => reject(new Error(`the clients exited with ${code}`)));
      child.send(message);
    });
  const connectAll = async (message: ToClients) => {
    const answers = await Promise.all(children.map((child) => askOne(child, message, 'connected')));
    return {
      ms: Math.max(...answers.map((answer) => answer.ms)),
      resumed: answers.reduce((sum, answer) => sum + answer.resumed, 0),
      missed: answers.flatMap((answer) => answer.missed),
    };
  };
  /** The children's delays merged: percentiles over every change received by every client. */
  const reportAll = async () => {
    const answers = await Promise.all(children.map((child) => askOne(child, { kind: 'report' }, 'report')));
    const counts = new Map<number, number>();
    for (const answer of answers)
      for (const [ms, n] of answer.histogram) counts.set(ms, (counts.get(ms) ?? 0) + n);
    const ordered = [...counts.entries()].sort((a, b) => a[0] - b[0]);
    const samples = ordered.reduce((sum, [, n]) => sum + n, 0);
    const percentile = (p: number) => {
      const rank = Math.max(1, Math.ceil((p / 100) * samples));
      let seen = 0;
      for (const [ms, n] of ordered) if ((seen += n) >= rank) return ms;
      return Number.NaN;
    };
    return {
      p50: percentile(50),
      p99: percentile(99),
      max: ordered.at(-1)?.[0] ?? Number.NaN,
      samples,
      messages: answers.reduce((sum, answer) => sum + answer.messages, 0),
      clientsCpuMs: answers.reduce((sum, answer) => sum + answer.cpuMs, 0),
    };
  };

  let tick = 0;
  /**
   * Open loop: tick i's changes are due at t0 + i × TICK_MS and stamped with that instant, sent without waiting
   * for the previous send, so that a stall shows in the delays instead of lowering the offered rate.
   */
  const produceFor = async (seconds: number): Promise<number> => {
    const perTick = (RATE * TICK_MS) / 1000;
    const ticks = Math.round((seconds * 1000) / TICK_MS);
    const t0 = Date.now();
    let queued: TopicEvent[] = [];
    let ticking = true;
    // One send in flight (the producer is idempotent), carrying whatever became due meanwhile.
    const sender = (async () => {
      while (ticking || queued.length > 0) {
        if (queued.length === 0) {
          await new Promise((resolve) => setTimeout(resolve, 1));
          continue;
        }
        const batch = queued;
        queued = [];
        await producer.sendEvents(batch);
      }
    })();
    for (let i = 0; i < ticks; i++) {
      const due = t0 + i * TICK_MS;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - Date.now())));
      for (const { stream, event } of changes(perTick, tick++, new Date(due)))
        queued.push({ topic: topicName(LIVE_STREAM_TOPICS[stream], suffix), event });
    }
    ticking = false;
    await sender;
    return ticks * perTick;
  };
  const measure = async (url: string, withToken: boolean) => {
    await connectAll({ kind: 'connect', url, ...(withToken ? { token } : {}), resume: false });
    await produceFor(WARMUP_SECONDS);
    const from = Date.now();
    for (const child of children) child.send({ kind: 'measure', from });
    const load = loadavg()[0];
    const cpuFrom = process.cpuUsage();
    const started = performance.now();
    const produced = await produceFor(SECONDS);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const cpu = process.cpuUsage(cpuFrom);
    const report = await reportAll();
    const elapsed = performance.now() - started;
    return {
      ...report,
      expected: produced * CLIENTS,
      load: Math.max(load, loadavg()[0]),
      /** Share of one core each side used while measured: the servers (with the producer), the clients. */
      serverCores: (cpu.user + cpu.system) / 1000 / elapsed,
      clientCores: report.clientsCpuMs / elapsed,
    };
  };

  // (a) the gateway
  let gateway = await boot();
  await until('the gateway ready', async () => (await fetch(`${urlOf(gateway)}/health/ready`)).ok, 120_000);
  const viaGateway = await measure(`${urlOf(gateway)}/live`, true);
  const metricsText = await (await fetch(`${urlOf(gateway)}/metrics`)).text();
  const slow = (outcome: string) =>
    Number(
      metricsText
        .split('\n')
        .find((line) => line.startsWith(`ioc_gateway_slow_client_total{outcome="${outcome}"}`))
        ?.split(' ')[1] ?? 0,
    );
  const slowness = { dropped: slow('dropped'), coalesced: slow('coalesced'), tooSlow: slow('too-slow') };

  // (c) a restart while changes go on
  const restartStarted = performance.now();
  await gateway.close();
  const producedWhileDown = await produceFor(DOWN_SECONDS);
  gateway = await boot();
  await until(
    'the gateway ready again',
    async () => (await fetch(`${urlOf(gateway)}/health/ready`)).ok,
    120_000,
  );
  const readyMs = performance.now() - restartStarted;
  const resume = await connectAll({ kind: 'connect', url: `${urlOf(gateway)}/live`, token, resume: true });
  const missed = missedOf(resume.missed);
  await gateway.close();

  /**
   * (b) a bare Socket.IO broadcast of the same changes, one `io.emit` per event; (b') batched: one `io.emit` per
   * push interval of the events read since the last, as the gateway pushes.
   */
  const viaBareServer = async (batched: boolean) => {
    const http = createServer();
    const bare = new Server(http);
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const consumer = kafka.consumer({
      groupId: `bench-gateway-bare-${batched ? 'batched-' : ''}${suffix}`,
      maxWaitTimeInMs: 100,
    });
    await consumer.connect();
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.subscribe({
      topics: liveTopics.map((topic) => topicName(topic, suffix)),
      fromBeginning: false,
    });
    let unpushed: { stream: string; event: unknown }[] = [];
    let timer: NodeJS.Timeout | undefined;
    const push = () => {
      timer = undefined;
      bare.emit('live:events', { changes: unpushed });
      unpushed = [];
    };
    await consumer.run({
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) {
          const decoded = decodeKafkaMessage(message);
          if (!decoded.ok) continue;
          const { id, type, time, subject, data } = decoded.event;
          const event = { id, type, time, subject, data };
          if (!batched) bare.emit('live:event', { event });
          else {
            unpushed.push({ stream: batch.topic, event });
            timer ??= setTimeout(push, config.GATEWAY_PUSH_INTERVAL);
          }
        }
      },
    });
    await joined;
    const run = await measure(`http://127.0.0.1:${(http.address() as AddressInfo).port}`, false);
    await consumer.disconnect();
    clearTimeout(timer);
    bare.close();
    return run;
  };
  const viaBare = await viaBareServer(false);
  const viaBareBatched = await viaBareServer(true);
  await Promise.all(children.map((child) => askOne(child, { kind: 'close' }, 'closed')));

  await producer.disconnect();
  await admin
    .deleteTopics({ topics: liveTopics.map((topic) => topicName(topic, suffix)) })
    .catch(() => undefined);
  await admin.disconnect();
  rmSync(keysDir, { recursive: true, force: true });

  const ratio = viaGateway.p99 / Math.max(1, viaBare.p99);
  const ratioBatched = viaGateway.p99 / Math.max(1, viaBareBatched.p99);
  const met = (ok: boolean) => (ok ? 'met' : '**not met**');
  const row = (name: string, run: typeof viaGateway) =>
    `| ${name} | ${run.p50.toFixed(0)} | ${run.p99.toFixed(0)} | ${run.max.toFixed(0)} | ${run.samples.toLocaleString('en')} (${((100 * run.samples) / run.expected).toFixed(0)}% of ${run.expected.toLocaleString('en')}) | ${run.messages.toLocaleString('en')} | ${run.serverCores.toFixed(2)} / ${run.clientCores.toFixed(2)} | ${run.load.toFixed(1)} |`;
  const section = `<!-- bench:gateway -->

## Gateway

Run on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} cores (${cpus()[0]?.model.split(' ').slice(0, 2).join(' ')}), ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, load average ${loadavg()[0].toFixed(1)} at the end (other work shares the machine: each run's 1-minute load average, at its start or end whichever is higher, is in the table); Kafka on the same machine (loopback), the ${CLIENTS.toLocaleString('en')} clients in ${PROCESSES} child process${PROCESSES === 1 ? '' : 'es'} on the same ${cpus().length} cores as the servers and Kafka, so the figures are a floor.

Command: \`npm run bench:gateway\` (BENCH_CLIENTS=${CLIENTS}, BENCH_CLIENT_PROCESSES=${PROCESSES}, BENCH_RATE=${RATE}, BENCH_SECONDS=${SECONDS} after ${WARMUP_SECONDS} s of warm-up, GATEWAY_PUSH_INTERVAL=${config.GATEWAY_PUSH_INTERVAL} ms). Changes (40% traffic, 30% incidents, 20% reports, 10% KPI values) are produced to the live topics at ${RATE}/s, open loop (each change stamped with the instant it was due and sent with whatever else is due once the previous send is answered); every client subscribed to everything (the wall) and times each change it receives from that event time; the clients decode ${LIGHT ? 'every packet as socket.io-client does, except that a live message is scanned for its cursor and event times rather than parsed whole (BENCH_CLIENT_DECODE=full parses it)' : 'every packet whole (BENCH_CLIENT_DECODE=full)'}. Cores used: CPU time over the measured window of this process (the server measured, Kafka's producer, the bench itself) and of the client processes; Kafka's broker is apart.

| delay, event time → receipt by every client (ms) | p50 | p99 | max | receipts (of changes × clients) | messages received | cores used, servers / clients | load |
| --- | --: | --: | --: | --: | --: | --: | --: |
${row('(a) gateway: read, fold, cursor, per-client buffer and filter, one `live:events` per push interval', viaGateway)}
${row('(b) bare Socket.IO: kafkajs consumer, `io.emit` of each event', viaBare)}
${row("(b') bare Socket.IO batched: `io.emit` of the events read in each push interval", viaBareBatched)}

Receipts count what arrived within 2 s of the last change produced. The gateway's slow-client policy acted during (a): ${slowness.dropped.toLocaleString('en')} traffic changes dropped and ${slowness.coalesced.toLocaleString('en')} KPI values coalesced for busy clients, ${slowness.tooSlow.toLocaleString('en')} clients told to resync (\`too-slow\`, after which they receive nothing until they subscribe again); the bare servers drop nothing and queue without bound. When the receipts fall short of 100%, the clients' processes (Node threads decoding every message of every client) are saturated, and the delays measure this machine rather than the servers.

Targets: p99 under ${TARGETS.p99Ms} ms: ${met(viaGateway.p99 < TARGETS.p99Ms)} (${viaGateway.p99.toFixed(0)} ms); within ${TARGETS.ratio}× the bare server's p99: ${met(ratio <= TARGETS.ratio)} (${ratio.toFixed(2)}×; ${ratioBatched.toFixed(2)}× the batched bare server's).

(c) Restart: the gateway closed while changes went on being produced for ${DOWN_SECONDS} s, then started again: ready (its topics read again from their beginning) ${(readyMs / 1000).toFixed(1)} s after it closed; then ${CLIENTS.toLocaleString('en')} clients reconnected with their last cursor in ${(resume.ms / 1000).toFixed(1)} s, ${resume.resumed.toLocaleString('en')} of them resumed (not sent to a snapshot), each receiving ${missed.min === missed.max ? missed.min : `${missed.min}–${missed.max}`} changes it had missed (${producedWhileDown} produced while it was down).
<!-- /bench:gateway -->`;
  const file = await writeBenchSection('gateway', section, [
    {
      figure: `p99 event time → receipt by ${CLIENTS.toLocaleString('en')} wall clients at ${RATE} changes/s`,
      value: viaGateway.p99,
      unit: 'ms',
      baseline: { of: 'bare Socket.IO, `io.emit` per event', value: viaBare.p99 },
      target: `p99 < ${TARGETS.p99Ms} ms and ≤ ${TARGETS.ratio}× baseline`,
      met: viaGateway.p99 < TARGETS.p99Ms && ratio <= TARGETS.ratio,
    },
  ]);
  console.log(section);
  console.log(`written to ${file}`);
}

if (process.argv[2] === 'clients') runClients(Number(process.argv[3]));
else
  void main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
