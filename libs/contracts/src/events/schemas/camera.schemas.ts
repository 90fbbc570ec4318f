import { Type } from '@sinclair/typebox';

import { EventTypes } from '../event-types';
import {
  CAMERA_STATUSES,
  DateTime,
  DetectionClassSchema,
  eventSchema,
  GeoPoint,
  Identifier,
  SafeString,
  StringEnum,
} from './common.schemas';

const cameraId = Identifier('Camera id from the camera registry; also the subject and the Kafka key');

export const CameraDetectionV1 = eventSchema(
  EventTypes.cameraDetection,
  {
    title: 'Camera detection',
    description: "One recognition by a camera's analytics, published by the camera AI integrator.",
  },
  {
    cameraId,
    class: DetectionClassSchema,
    confidence: Type.Number({ description: 'Model confidence, 0 to 1', minimum: 0, maximum: 1 }),
    observedAt: DateTime('When the frame was captured'),
    snapshotRef: Type.Optional(
      SafeString({
        description: "Reference to the frame in the vendor's store (never the image itself)",
        minLength: 1,
        maxLength: 1024,
      }),
    ),
    attributes: Type.Optional(
      Type.Record(
        Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_.-]{0,63}$' }),
        Type.Union([
          SafeString({ maxLength: 256 }),
          Type.Number({ minimum: -1e12, maximum: 1e12 }),
          Type.Boolean(),
        ]),
        {
          description: 'Vendor-specific extras (e.g. vehicle count, queue length in metres)',
          maxProperties: 32,
          additionalProperties: false,
        },
      ),
    ),
  },
);

export const CameraHeartbeatV1 = eventSchema(
  EventTypes.cameraHeartbeat,
  {
    title: 'Camera heartbeat',
    description:
      'A camera (or its integrator) saying it is alive; missing heartbeats take the camera offline.',
  },
  {
    cameraId,
    observedAt: DateTime('When the camera was last seen alive'),
    status: Type.Optional(StringEnum(['ok', 'degraded'] as const, { description: 'Self-reported health' })),
    firmware: Type.Optional(SafeString({ description: 'Firmware version', minLength: 1, maxLength: 64 })),
    fps: Type.Optional(
      Type.Number({ description: 'Frames per second currently delivered', minimum: 0, maximum: 240 }),
    ),
  },
);

export const CameraStatusChangedV1 = eventSchema(
  EventTypes.cameraStatusChanged,
  {
    title: 'Camera status changed',
    description: 'A camera went online or offline, as judged by the intake service from heartbeats.',
  },
  {
    cameraId,
    status: StringEnum(CAMERA_STATUSES, { description: 'The new status' }),
    previousStatus: Type.Optional(
      StringEnum(CAMERA_STATUSES, { description: 'The status before, if known' }),
    ),
    since: DateTime('When the new status began'),
    lastHeartbeatAt: Type.Optional(DateTime('Last heartbeat received')),
    location: Type.Optional(GeoPoint('Where the camera is, for the map')),
    adminUnitCode: Type.Optional(Identifier('Administrative unit the camera is in')),
  },
);
