/** Header values as Kafka carries them; a key may repeat, hence arrays. */
export type RecordHeaders = Record<string, Buffer | string | (Buffer | string)[] | undefined>;

/** An already-encoded Kafka record. */
export interface OutboundRecord {
  topic: string;
  key: Buffer | string | null;
  value: Buffer | null;
  headers: RecordHeaders;
}

/**
 * Port: publishes encoded records and resolves only once the broker acknowledged all of them (acks=all).
 * {@link EventProducer} is the Kafka implementation; the relay and the DLQ publisher depend on this port.
 */
export abstract class RecordSender {
  abstract sendRecords(records: readonly OutboundRecord[]): Promise<void>;
}
