import { Type } from '@sinclair/typebox';

import { EventTypes } from '../event-types';
import {
  DateTime,
  eventSchema,
  GeoPoint,
  Identifier,
  ReportChannelSchema,
  SafeString,
  Text,
} from './common.schemas';

/**
 * A report handed over by another channel. It is the ONLY event allowed to carry a reporter's contact data
 * (docs/architecture.md, "Privacy": contact data stays on the reports service's own inbound topic).
 */
export const ReportSubmissionV1 = eventSchema(
  EventTypes.reportSubmission,
  {
    title: 'Report submission',
    description:
      'A citizen report arriving from another channel (hotline, Zalo, national portal, e-mail…) for the reports ' +
      'service to register. Contact data is allowed here and nowhere else.',
  },
  {
    channel: ReportChannelSchema,
    externalId: SafeString({
      description:
        "The report's id in the originating channel; with `channel` it makes the submission idempotent",
      minLength: 1,
      maxLength: 128,
      pattern: '^\\S+$',
    }),
    categoryCode: Identifier('Report category code from the reference data'),
    description: Text('What the citizen reported', 4000),
    location: GeoPoint('Where the problem is'),
    addressText: Type.Optional(Text('Address as the citizen gave it', 500)),
    occurredAt: Type.Optional(DateTime('When the problem was noticed, if the citizen said')),
    reporter: Type.Optional(
      Type.Object(
        {
          name: Type.Optional(Text('Reporter name (personal data)', 200)),
          phone: Type.Optional(
            SafeString({
              description: 'Reporter phone (personal data)',
              minLength: 6,
              maxLength: 20,
              pattern: '^\\+?[0-9][0-9 .()-]*$',
            }),
          ),
          email: Type.Optional(
            SafeString({ description: 'Reporter e-mail (personal data)', format: 'email', maxLength: 254 }),
          ),
        },
        {
          description: 'How to reach the reporter; never forwarded beyond the reports service',
          additionalProperties: false,
        },
      ),
    ),
    attachments: Type.Optional(
      Type.Array(
        Type.Object(
          {
            url: SafeString({
              description: 'Where the file can be fetched',
              format: 'uri',
              maxLength: 2048,
              pattern: '^https?://',
            }),
            contentType: SafeString({
              description: 'Media type of the file',
              maxLength: 100,
              pattern: '^(image|video|audio|application)/[A-Za-z0-9.+-]+$',
            }),
          },
          { additionalProperties: false },
        ),
        { description: 'Photos or other files the citizen attached', maxItems: 10 },
      ),
    ),
    language: Type.Optional(
      SafeString({
        description: 'BCP 47 language tag of the text',
        maxLength: 35,
        pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$',
      }),
    ),
  },
);
