import { ApiProperty } from '@nestjs/swagger';
import { type TopicName } from '@ioc/contracts';
import { INGEST_TOPICS } from './ingest.service';

export class AcceptedEventDto {
  @ApiProperty({ description: 'The CloudEvents id, by which consumers deduplicate', example: 'det-0001' })
  id!: string;

  @ApiProperty({ description: 'Base name of the topic the event was published to', enum: INGEST_TOPICS })
  topic!: TopicName;
}

/** The 202 answer: every event is in Kafka (acknowledged by all in-sync replicas). */
export class IngestReceiptDto {
  @ApiProperty({ type: [AcceptedEventDto] })
  accepted!: AcceptedEventDto[];
}
