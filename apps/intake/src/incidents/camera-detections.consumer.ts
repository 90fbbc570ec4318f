import { EventTypes, Topics } from '@ioc/contracts';
import { ConsumerFactory } from '@ioc/messaging';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { IntakeConfig } from '../config';
import { dataOf } from '../common/consumed-events';
import { IncidentsService } from './incidents.service';

/** `ioc.camera.detections` → incidents, a chunk per call (set-wise SQL, for throughput). */
@Injectable()
export class CameraDetectionsConsumer implements OnApplicationBootstrap {
  static readonly groupId = 'intake.camera-detections';

  constructor(
    private readonly consumers: ConsumerFactory,
    private readonly incidents: IncidentsService,
    private readonly config: IntakeConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.consumers
      .create({
        groupId: CameraDetectionsConsumer.groupId,
        consumerName: CameraDetectionsConsumer.groupId,
        topics: [Topics.cameraDetections],
        maxMessagesPerTransaction: this.config.INTAKE_CHUNK_SIZE,
        partitionsConsumedConcurrently: this.config.INTAKE_PARTITION_CONCURRENCY,
        batchHandler: (events, { manager }) =>
          this.incidents.applyDetections(manager, dataOf(EventTypes.cameraDetection, events)),
      })
      .start();
  }
}
