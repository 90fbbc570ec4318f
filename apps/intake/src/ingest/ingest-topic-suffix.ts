/** The run-time topic suffix (IOC_TOPIC_SUFFIX) the ingest publishes with; a DI token holding a value. */
export class IngestTopicSuffix {
  constructor(readonly value: string | undefined) {}
}
