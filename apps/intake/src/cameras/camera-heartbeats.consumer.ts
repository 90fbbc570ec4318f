import { EventTypes, Topics } from '@ioc/contracts';
import { ConsumerFactory } from '@ioc/messaging';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { IntakeConfig } from '../config';
import { dataOf } from '../common/consumed-events';
import { CameraStatusService } from './camera-status.service';

/** `ioc.camera.heartbeats` → camera status. */
@Injectable()
export class CameraHeartbeatsConsumer implements OnApplicationBootstrap {
  static readonly groupId = 'intake.camera-heartbeats';

  constructor(
    private readonly consumers: ConsumerFactory,
    private readonly cameras: CameraStatusService,
    private readonly config: IntakeConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.consumers
      .create({
        groupId: CameraHeartbeatsConsumer.groupId,
        consumerName: CameraHeartbeatsConsumer.groupId,
        topics: [Topics.cameraHeartbeats],
        maxMessagesPerTransaction: this.config.INTAKE_CHUNK_SIZE,
        batchHandler: (events, { manager }) =>
          this.cameras.applyHeartbeats(manager, dataOf(EventTypes.cameraHeartbeat, events)),
      })
      .start();
  }
}
