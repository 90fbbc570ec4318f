import { EventTypes, type KnownIocEvent, Topics } from '@ioc/contracts';
import { type ConsumeContext, ConsumerFactory, PoisonMessageError } from '@ioc/messaging';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { ReportsService } from '../reports/reports.service';

/** Group id and inbox name, `<service>.<consumer>` like every consumer's; the factory suffixes the group id. */
export const SUBMISSIONS_CONSUMER = 'reports.submissions';

/**
 * Registers reports from other channels (hotline, Zalo, national portal) from `ioc.reports.submissions`.
 * Thin: the runner decodes and validates, the service registers idempotently by channel + external id; an
 * input the rules refuse (unknown category, outside the city) or the database refuses (a data or integrity
 * error) is poison and goes to the DLQ with its code, while the partition moves on.
 */
@Injectable()
export class ReportSubmissionsConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly consumers: ConsumerFactory,
    private readonly reports: ReportsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // MessagingModule stops every runner of the factory at shutdown, after their chunk in flight.
    const runner = this.consumers.create({
      // One group for every instance of the service, so partitions are shared among them.
      groupId: SUBMISSIONS_CONSUMER,
      consumerName: SUBMISSIONS_CONSUMER,
      topics: [Topics.reportsSubmissions],
      handler: (event, context) => this.apply(event, context),
      fromBeginning: true,
    });
    await runner.start();
  }

  private async apply(event: KnownIocEvent, { manager }: ConsumeContext): Promise<void> {
    if (event.type !== EventTypes.reportSubmission)
      throw new PoisonMessageError(
        'REPORT.UNEXPECTED_EVENT_TYPE',
        'only report submissions belong on this topic',
      );
    const data = event.data;
    // Failures are the runner's to sort (see classifyFailure in @ioc/messaging): a rule refusing the
    // input (its IocError code) or Postgres refusing the data (SQLSTATE 22/23) dead-letters the submission,
    // a database outage is retried.
    await this.reports.registerFromChannel(manager, {
      channel: data.channel,
      externalId: data.externalId,
      categoryCode: data.categoryCode,
      description: data.description,
      location: data.location,
      ...(data.addressText === undefined ? {} : { addressText: data.addressText }),
      ...(data.reporter === undefined ? {} : { reporter: data.reporter }),
      attachmentCount: data.attachments?.length ?? 0,
    });
  }
}
