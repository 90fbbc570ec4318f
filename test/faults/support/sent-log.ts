import { existsSync, readFileSync } from 'node:fs';

/**
 * A batch of the simulator's sent log (`SIMULATOR_SENT_LOG`), read back: its events and the outcome it was told
 * (none when nobody saw the answer).
 */
export interface SentBatch {
  batch: string;
  interface: string;
  events: { id: string; type: string; subject: string }[];
  outcome?: string;
  reportId?: string;
}

/** Every batch of a sent log, in the order they were sent. */
export function readSentLog(file: string): SentBatch[] {
  const batches = new Map<string, SentBatch>();
  if (!existsSync(file)) return [];
  for (const text of readFileSync(file, 'utf8').split('\n')) {
    if (text.trim() === '') continue;
    // A line cut short by a SIGKILL mid-write is no send at all.
    let line: {
      batch: string;
      interface: string;
      phase: string;
      events?: SentBatch['events'];
      reportId?: string;
    };
    try {
      line = JSON.parse(text) as typeof line;
    } catch {
      continue;
    }
    if (line.phase === 'sent') {
      batches.set(line.batch, { batch: line.batch, interface: line.interface, events: line.events ?? [] });
    } else {
      const batch = batches.get(line.batch);
      if (batch) {
        batch.outcome = line.phase;
        if (line.reportId !== undefined) batch.reportId = line.reportId;
      }
    }
  }
  return [...batches.values()];
}
