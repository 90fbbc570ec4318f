import { EventTypes, Topics } from '@ioc/contracts';
import { ConsumerFactory } from '@ioc/messaging';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { IntakeConfig } from '../config';
import { dataOf } from '../common/consumed-events';
import { TrafficService } from './traffic.service';

/** `ioc.traffic.observations` → congestion levels and jam incidents. */
@Injectable()
export class TrafficObservationsConsumer implements OnApplicationBootstrap {
  static readonly groupId = 'intake.traffic-observations';

  constructor(
    private readonly consumers: ConsumerFactory,
    private readonly traffic: TrafficService,
    private readonly config: IntakeConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.consumers
      .create({
        groupId: TrafficObservationsConsumer.groupId,
        consumerName: TrafficObservationsConsumer.groupId,
        topics: [Topics.trafficObservations],
        maxMessagesPerTransaction: this.config.INTAKE_CHUNK_SIZE,
        batchHandler: (events, { manager }) =>
          this.traffic.applyObservations(manager, dataOf(EventTypes.trafficObservation, events)),
      })
      .start();
  }
}
