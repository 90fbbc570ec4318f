import { Module } from '@nestjs/common';
import { CameraHeartbeatsConsumer } from './cameras/camera-heartbeats.consumer';
import { CameraStatusService } from './cameras/camera-status.service';
import { CamerasController } from './cameras/cameras.controller';
import { CamerasRepository } from './cameras/cameras.repository';
import { IntakeConfig } from './config';
import { CameraDetectionsConsumer } from './incidents/camera-detections.consumer';
import { IncidentsController } from './incidents/incidents.controller';
import { IncidentsRepository } from './incidents/incidents.repository';
import { IncidentsService } from './incidents/incidents.service';
import { SeverityRules } from './incidents/severity';
import { ReferenceDataRepository } from './reference/reference-data.repository';
import { IdGenerator, UuidIdGenerator } from './common/id-generator';
import { IntakeSweeper } from './common/intake.sweeper';
import { TrafficController } from './traffic/traffic.controller';
import { TrafficObservationsConsumer } from './traffic/traffic-observations.consumer';
import { TrafficRepository } from './traffic/traffic.repository';
import { TrafficService } from './traffic/traffic.service';

/**
 * Intake's stream processing and its REST: detections → incidents, heartbeats → camera status,
 * observations → congestion, the sweepers, and the incident, camera and traffic endpoints.
 */
@Module({
  controllers: [IncidentsController, CamerasController, TrafficController],
  providers: [
    { provide: IdGenerator, useClass: UuidIdGenerator },
    {
      provide: SeverityRules,
      inject: [IntakeConfig],
      useFactory: (c: IntakeConfig) => new SeverityRules(c.INTAKE_INCIDENT_SEVERITY_RULES, c.CITY_TIMEZONE),
    },
    ReferenceDataRepository,
    IncidentsRepository,
    CamerasRepository,
    TrafficRepository,
    IncidentsService,
    CameraStatusService,
    TrafficService,
    CameraDetectionsConsumer,
    CameraHeartbeatsConsumer,
    TrafficObservationsConsumer,
    IntakeSweeper,
  ],
})
export class StreamProcessingModule {}
