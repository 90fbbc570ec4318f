import {
  LIVE_NAMESPACE,
  type LiveClientEvents,
  LiveEvents,
  type LiveServerEvents,
  type LiveStream,
  type LiveSubscribeAck,
} from '@ioc/contracts';
import { io, type Socket } from 'socket.io-client';

/** A change a wall client received: its stream and event id, on which connection. */
export interface Received {
  stream: LiveStream;
  id: string;
  connection: number;
}

/**
 * A wall client of the live push (libs/contracts/src/live/live.contract.ts) that lives through gateway restarts:
 * each connection after the first subscribes with the cursor of the last message the one before received.
 * It keeps every change it was pushed, the cursor of its snapshot and of its last message.
 */
export class WallClient {
  readonly received: Received[] = [];
  readonly acks: LiveSubscribeAck[] = [];
  readonly resyncs: string[] = [];
  readonly errors: string[] = [];
  snapshots = 0;
  /** The cursor of the first snapshot: what the client holds from. */
  from?: string;
  cursor?: string;
  /** Per connection after the first: the cursor it resumed from and the live topics' ends when it did. */
  readonly resumes: { connection: number; from: string; ends: number[][] }[] = [];
  private socket?: Socket<LiveServerEvents, LiveClientEvents>;
  private connections = 0;
  disconnected = false;

  constructor(
    private readonly url: string,
    private readonly token: string,
    /** The live topics' end offsets (see `FaultWorld.liveEnds`), noted at each resume. */
    private readonly liveEnds: () => Promise<number[][]>,
  ) {}

  /** A new connection; it subscribes to every stream, from the last cursor when there is one. */
  async connect(): Promise<LiveSubscribeAck> {
    const connection = ++this.connections;
    if (this.cursor !== undefined)
      this.resumes.push({ connection, from: this.cursor, ends: await this.liveEnds() });
    const socket = io(`${this.url}${LIVE_NAMESPACE}`, {
      auth: { token: this.token },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    }) as Socket<LiveServerEvents, LiveClientEvents>;
    socket.on(LiveEvents.snapshot, (message) => {
      this.snapshots++;
      this.from ??= message.cursor;
      this.cursor = message.cursor;
    });
    socket.on(LiveEvents.events, (message) => {
      for (const { stream, event } of message.changes)
        this.received.push({ stream, id: event.id, connection });
      this.cursor = message.cursor;
    });
    socket.on(LiveEvents.resync, ({ reason }) => this.resyncs.push(reason));
    socket.on(LiveEvents.error, ({ code }) => this.errors.push(code));
    socket.on('disconnect', () => {
      if (this.socket === socket) this.disconnected = true;
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    this.socket = socket;
    this.disconnected = false;
    const ack = await socket
      .timeout(60_000)
      .emitWithAck(LiveEvents.subscribe, this.cursor === undefined ? {} : { resumeFrom: this.cursor });
    this.acks.push(ack);
    return ack;
  }

  close(): void {
    this.socket?.close();
  }
}
