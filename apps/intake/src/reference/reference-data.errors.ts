import { PoisonMessageError } from '@ioc/messaging';

/** An event names a camera the registry does not know (dead-lettered: docs/architecture.md, "Bad input"). */
export class UnknownCameraError extends PoisonMessageError {
  constructor(cameraId: string) {
    super('INTAKE.UNKNOWN_CAMERA', `camera ${cameraId} is not in the registry`);
  }
}

/** An observation names a road segment the registry does not know. */
export class UnknownSegmentError extends PoisonMessageError {
  constructor(segmentId: string) {
    super('INTAKE.UNKNOWN_SEGMENT', `road segment ${segmentId} is not in the registry`);
  }
}

/** An event dated beyond the allowed clock skew would hold windows open; it is dead-lettered. */
export class FutureEventTimeError extends PoisonMessageError {
  constructor(eventId: string) {
    super('INTAKE.FUTURE_EVENT_TIME', `event ${eventId} is dated in the future beyond the allowed skew`);
  }
}
