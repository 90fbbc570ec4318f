import { appendFileSync } from 'node:fs';
import type { Interface, Outcome } from './tally';

/** An event as the sent log names it: enough to find it in a service's state. */
export interface LoggedEvent {
  id: string;
  type: string;
  subject: string;
}

/** One line of the sent log (JSON): a batch or request before it goes out, then its outcome under the same `batch`. */
export type SentLogLine =
  | { batch: string; interface: Interface; phase: 'sent'; events?: LoggedEvent[] }
  | { batch: string; interface: Interface; phase: Outcome; reportId?: string };

/**
 * What the simulator sent and how each send was answered, one JSON line per step, written before the send and
 * after its answer (`SIMULATOR_SENT_LOG`): a fault suite reconciles it with the services' state. Lines are
 * appended synchronously, so a line is on disk before the request leaves and survives the process being killed;
 * a `sent` line without its outcome is a send whose answer nobody saw. Off (a no-op) without a file.
 */
export class SentLog {
  private serial = 0;

  constructor(
    private readonly file: string | undefined,
    private readonly runId: string,
  ) {}

  /** Writes the `sent` line of a new batch and answers its id, for {@link outcome}. */
  sent(on: Interface, events?: readonly LoggedEvent[]): string {
    const batch = `${this.runId}-b${++this.serial}`;
    this.write({
      batch,
      interface: on,
      phase: 'sent',
      ...(events === undefined ? {} : { events: [...events] }),
    });
    return batch;
  }

  outcome(batch: string, on: Interface, phase: Outcome, reportId?: string): void {
    this.write({ batch, interface: on, phase, ...(reportId === undefined ? {} : { reportId }) });
  }

  private write(line: SentLogLine): void {
    if (this.file === undefined) return;
    appendFileSync(this.file, `${JSON.stringify(line)}\n`);
  }
}
