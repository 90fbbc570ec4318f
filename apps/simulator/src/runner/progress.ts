import { formatScenarioTime } from './scenario-time';
import type { RunnerStatus } from './simulation-runner';
import { INTERFACES, type TallySnapshot } from '../drivers/tally';

/** Where the progress goes: a terminal (redrawn in place) or a log (one line per interval). */
export interface ProgressOutput {
  write(text: string): void;
  readonly isTTY?: boolean;
}

/**
 * The progress display of `npm run simulate`: per interface, what was sent, accepted, refused, failed or
 * skipped and the rate sent over the last interval. On a TTY the block is redrawn in place; otherwise one line
 * is written per interval.
 */
export class ProgressDisplay {
  private previous: TallySnapshot | undefined;
  private previousAt = 0;
  private drawnLines = 0;

  constructor(
    private readonly output: ProgressOutput,
    private readonly speed: number,
  ) {}

  render(status: RunnerStatus, tally: TallySnapshot, nowMs: number): void {
    const seconds = this.previous ? Math.max(0.001, (nowMs - this.previousAt) / 1000) : 0;
    const rows = INTERFACES.map((name) => {
      const counts = tally[name];
      const sent = counts.accepted + counts.refused + counts.failed;
      const before = this.previous?.[name];
      const sentBefore = before ? before.accepted + before.refused + before.failed : sent;
      const rate = seconds > 0 ? (sent - sentBefore) / seconds : 0;
      return { name, sent, rate, ...counts };
    });
    this.previous = tally;
    this.previousAt = nowMs;
    const clock = `${formatScenarioTime(status.scenarioTime)}  ×${this.speed}  lag ${(status.lagMs / 1000).toFixed(1)} s  in flight ${status.inFlight}`;
    if (this.output.isTTY) {
      const lines = [
        `simulated ${clock}`,
        `${'interface'.padEnd(16)}${['sent/s', 'sent', 'accepted', 'refused', 'failed', 'skipped'].map((h) => h.padStart(10)).join('')}`,
        ...rows.map(
          (row) =>
            `${row.name.padEnd(16)}${[
              row.rate.toFixed(1),
              row.sent,
              row.accepted,
              row.refused,
              row.failed,
              row.skipped,
            ]
              .map((value) => String(value).padStart(10))
              .join('')}`,
        ),
      ];
      const up = this.drawnLines > 0 ? `\x1b[${this.drawnLines}F` : '';
      this.output.write(`${up}${lines.map((line) => `\x1b[2K${line}`).join('\n')}\n`);
      this.drawnLines = lines.length;
      return;
    }
    const active = rows.filter((row) => row.sent + row.skipped > 0);
    const parts = active.map(
      (row) =>
        `${row.name} ${row.rate.toFixed(1)}/s sent ${row.sent} ok ${row.accepted} refused ${row.refused} failed ${row.failed}` +
        (row.skipped > 0 ? ` skipped ${row.skipped}` : ''),
    );
    this.output.write(`[${clock}] ${parts.join(' | ') || 'nothing sent yet'}\n`);
  }
}
