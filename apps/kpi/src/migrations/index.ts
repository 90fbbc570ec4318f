import { MessagingInboxProcessedAt1795600000000, MessagingOutboxInbox1795305600000 } from '@ioc/messaging';
import { KpiPublicationMarks1796200000000 } from './kpi-publication-marks.migration';
import { KpiGauges1796100000000 } from './kpi-gauges.migration';
import { KpiHistogramInRow1796400000000 } from './kpi-histogram-in-row.migration';
import { KpiHotUpdates1796300000000 } from './kpi-hot-updates.migration';
import { KpiSchema1796000000000 } from './kpi-schema.migration';

/** Every migration of the kpi schema, oldest first. */
export const kpiMigrations = [
  MessagingOutboxInbox1795305600000,
  MessagingInboxProcessedAt1795600000000,
  KpiSchema1796000000000,
  KpiGauges1796100000000,
  KpiPublicationMarks1796200000000,
  KpiHotUpdates1796300000000,
  KpiHistogramInRow1796400000000,
];
