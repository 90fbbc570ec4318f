import { REPORT_CHANNELS, REPORT_STATUSES, type ReportChannel, type ReportStatus } from '@ioc/contracts';
import { ApiOkResponse, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { Actor } from '../report';
import type { PublicReportView, ReportPage, ReportView, SubmissionReceipt } from '../report-views';

// The classes implement the view interfaces, so a field the service adds or changes fails to compile here
// until its documentation follows.

type Reporter = NonNullable<ReportView['reporter']>;
type PublicTimelineEntry = PublicReportView['timeline'][number];
type TimelineEntry = NonNullable<ReportView['timeline']>[number];

const ACTORS = Object.keys({
  citizen: true,
  agency: true,
  operator: true,
  system: true,
  channel: true,
} satisfies Record<Actor, true>);

class GeoPointResponse {
  @ApiProperty({ example: 20.848 }) lat!: number;
  @ApiProperty({ example: 106.702 }) lon!: number;
}

class ReporterResponse implements Reporter {
  @ApiProperty({ type: String, nullable: true }) name!: string | null;
  @ApiProperty({ type: String, nullable: true }) phone!: string | null;
  @ApiProperty({ type: String, nullable: true }) email!: string | null;
}

class PublicTimelineEntryResponse implements PublicTimelineEntry {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty() action!: string;
  @ApiProperty({ enum: REPORT_STATUSES }) status!: ReportStatus;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
}

class TimelineEntryResponse implements TimelineEntry {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty() action!: string;
  @ApiProperty({ enum: REPORT_STATUSES }) status!: ReportStatus;
  @ApiProperty({ enum: ACTORS }) actor!: Actor;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
}

export class SubmissionReceiptResponse implements SubmissionReceipt {
  @ApiProperty() id!: string;
  @ApiProperty({ description: 'Tracks the report publicly' }) trackingCode!: string;
  @ApiProperty({ description: 'Shown only here: confirms, reopens and rates with the tracking code' })
  secret!: string;
  @ApiProperty({ enum: REPORT_STATUSES }) status!: ReportStatus;
  @ApiProperty({ format: 'date-time' }) submittedAt!: string;
}

export class PublicReportViewResponse implements PublicReportView {
  @ApiProperty() trackingCode!: string;
  @ApiProperty({ enum: REPORT_STATUSES }) status!: ReportStatus;
  @ApiProperty() categoryCode!: string;
  @ApiProperty({ type: String, nullable: true }) addressText!: string | null;
  @ApiProperty({ type: GeoPointResponse }) location!: GeoPointResponse;
  @ApiProperty({ format: 'date-time' }) submittedAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ type: String, nullable: true, description: "The agency's answer" }) answer!: string | null;
  @ApiProperty({ description: 'Photos of the answer, at answer-photos/{n} for n below this count' })
  answerPhotoCount!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) resolvedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) closedAt!: string | null;
  @ApiProperty({ type: Number, nullable: true, minimum: 1, maximum: 5 }) rating!: number | null;
  @ApiProperty({ type: [PublicTimelineEntryResponse], description: 'The public lines of the history' })
  timeline!: PublicTimelineEntryResponse[];
}

export class ReportViewResponse implements ReportView {
  @ApiProperty() id!: string;
  @ApiProperty() trackingCode!: string;
  @ApiProperty({ enum: REPORT_STATUSES }) status!: ReportStatus;
  @ApiProperty({ enum: REPORT_CHANNELS }) channel!: ReportChannel;
  @ApiProperty() categoryCode!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ type: String, nullable: true }) addressText!: string | null;
  @ApiProperty({ type: GeoPointResponse }) location!: GeoPointResponse;
  @ApiProperty({ type: [String] }) adminUnitCodes!: string[];
  @ApiProperty({ type: String, nullable: true }) agencyId!: string | null;
  @ApiProperty() attachmentCount!: number;
  @ApiProperty({ format: 'date-time' }) submittedAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) ackDueAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) resolveDueAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) acknowledgedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) resolvedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) closedAt!: string | null;
  @ApiProperty() ackOverdue!: boolean;
  @ApiProperty() resolveOverdue!: boolean;
  @ApiProperty({ type: String, nullable: true }) answer!: string | null;
  @ApiProperty() reopenCount!: number;
  @ApiProperty({ type: Number, nullable: true, minimum: 1, maximum: 5 }) rating!: number | null;
  @ApiProperty({ type: String, nullable: true }) ratingComment!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The report this one likely duplicates, while an operator has not dismissed the link',
  })
  duplicateOf!: string | null;
  @ApiPropertyOptional({
    type: ReporterResponse,
    description: 'Only for the agency the report is assigned to',
  })
  reporter?: ReporterResponse;
  @ApiPropertyOptional({ description: 'Reports linked to this one as likely duplicates (single report)' })
  duplicateCount?: number;
  @ApiPropertyOptional({ type: [TimelineEntryResponse], description: 'The whole history (single report)' })
  timeline?: TimelineEntryResponse[];
}

export class ReportPageResponse implements ReportPage {
  @ApiProperty({ type: [ReportViewResponse] }) items!: ReportViewResponse[];
  @ApiPropertyOptional({ description: 'Pass as `cursor` for the next page; absent on the last page' })
  nextCursor?: string;
}

/** The 200 of a photo route: the stored JPEG or PNG bytes, metadata stripped. */
export function ApiPhotoResponse(): MethodDecorator & ClassDecorator {
  const binary = { schema: { type: 'string', format: 'binary' } } as const;
  return ApiOkResponse({
    description: 'The photo, as stored at submission (JPEG or PNG, metadata stripped)',
    content: { 'image/jpeg': binary, 'image/png': binary },
  });
}
