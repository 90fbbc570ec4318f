import { createHash } from 'node:crypto';

// Postgres truncates identifiers, channel names included, to NAMEDATALEN - 1 = 63 bytes; pg_notify rejects
// longer ones. A long schema name is hashed instead so that every schema keeps a channel of its own.
const MAX_CHANNEL_BYTES = 63;

/** The LISTEN/NOTIFY channel on which a schema's outbox announces new rows. */
export function outboxChannel(schema: string): string {
  const readable = `ioc_outbox_${schema}`;
  if (Buffer.byteLength(readable) <= MAX_CHANNEL_BYTES) return readable;
  return `ioc_outbox_${createHash('sha256').update(schema).digest('hex').slice(0, 40)}`;
}
