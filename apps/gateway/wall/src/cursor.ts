import type { LiveSubscription } from '@ioc/contracts';

/** The contract's cursor rule (`LiveCursorSchema`): a cursor outside it is never sent back. */
const CURSOR_PATTERN = /^[A-Za-z0-9_.~-]{1,4096}$/;

/**
 * Where the wall stands in the live streams: the cursor of the last snapshot or live message applied, which a new
 * subscription resumes from after a reconnect, and the ids of the events already applied, so that an event
 * delivered again (a resume is at least once) is applied once.
 */
export class CursorBook {
  private cursor: string | undefined;
  private readonly seen = new Set<string>();
  private readonly order: string[] = [];

  /** `capacity`: how many event ids are remembered; a replay never reaches further back than a few seconds. */
  constructor(private readonly capacity = 5000) {}

  /** The cursor to resume from, if any. */
  get current(): string | undefined {
    return this.cursor;
  }

  /** The subscription to send on (re)connect: `base` resuming from the last cursor, or from a snapshot. */
  subscription(base: Omit<LiveSubscription, 'resumeFrom'> = {}): LiveSubscription {
    return this.cursor === undefined ? { ...base } : { ...base, resumeFrom: this.cursor };
  }

  /** A snapshot was applied: the state now stands at its cursor. */
  snapshotAt(cursor: string): void {
    this.cursor = CURSOR_PATTERN.test(cursor) ? cursor : undefined;
  }

  /** An event arrived: answers whether it is new (to be applied) or one already applied (delivered again). */
  accept(eventId: string): boolean {
    if (this.seen.has(eventId)) return false;
    this.seen.add(eventId);
    this.order.push(eventId);
    if (this.order.length > this.capacity) this.seen.delete(this.order.shift() as string);
    return true;
  }

  /** The changes of a message were applied: the state now stands at the cursor the message ended with. */
  advance(cursor: string): void {
    if (CURSOR_PATTERN.test(cursor)) this.cursor = cursor;
  }

  /** The gateway asked for a resync (or refused the cursor): the next subscription starts from a snapshot. */
  reset(): void {
    this.cursor = undefined;
  }
}
