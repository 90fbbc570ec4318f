import { Topics, topicName } from '@ioc/contracts';

/** The suffixed names of the topics intake reads and writes (IOC_TOPIC_SUFFIX isolates a run). */
export class IntakeTopics {
  readonly detections: string;
  readonly heartbeats: string;
  readonly observations: string;
  readonly incidents: string;
  readonly camerasStatus: string;
  readonly trafficStatus: string;

  constructor(suffix?: string) {
    this.detections = topicName(Topics.cameraDetections, suffix);
    this.heartbeats = topicName(Topics.cameraHeartbeats, suffix);
    this.observations = topicName(Topics.trafficObservations, suffix);
    this.incidents = topicName(Topics.incidentsEvents, suffix);
    this.camerasStatus = topicName(Topics.camerasStatus, suffix);
    this.trafficStatus = topicName(Topics.trafficStatus, suffix);
  }
}

/** `source` of the events intake emits (CloudEvents `source`). */
export const INTAKE_EVENT_SOURCE = '/ioc/intake';
