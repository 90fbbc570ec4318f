/** One line of the table the fault suite prints: what was injected or sent, what was found, whether they agree. */
export interface FaultRow {
  what: string;
  injected: string | number;
  found: string | number;
  ok: boolean;
}

/** The table of what the fault suite injected and found, printed at its end whatever failed. */
export class FaultTable {
  private readonly rows: FaultRow[] = [];
  private readonly notes: string[] = [];

  /** Adds a line; it is fine when `injected` equals `found`, unless `ok` says otherwise. */
  row(what: string, injected: string | number, found: string | number, ok = injected === found): void {
    this.rows.push({ what, injected, found, ok });
  }

  /** A line printed under the table: what was seen, beyond what the rows compare. */
  note(text: string): void {
    this.notes.push(text);
  }

  print(): void {
    const widths = [52, 16, 16];
    const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i] ?? 4)).join(' ');
    const text = [
      '',
      line(['fault suite', 'injected/sent', 'found', 'ok']),
      line(['-'.repeat(52), '-'.repeat(16), '-'.repeat(16), '--']),
      ...this.rows.map((r) => line([r.what, String(r.injected), String(r.found), r.ok ? 'ok' : 'MISMATCH'])),
      '',
      ...this.notes,
      '',
    ].join('\n');
    process.stdout.write(`${text}\n`);
  }
}
