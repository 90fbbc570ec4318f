import { databaseCommand } from '@ioc/database';
import { kafkaConnection } from '@ioc/messaging';
import { loadConfig } from '@ioc/observability';
import { kpiEnv } from '../config';
import { kpiMigrations } from '../migrations';
import { rebuildProjection } from './rebuild-projection';

// `npm run kpi:rebuild`, with the kpi service stopped: replays the source topics from the beginning into a
// fresh schema and switches the live projection to it (docs/architecture.md, "KPI service").
void databaseCommand({
  defaultSchema: 'kpi',
  migrations: kpiMigrations,
  task: async (live) => {
    const config = loadConfig(kpiEnv);
    const { brokers, ...security } = kafkaConnection(config);
    const applied = await rebuildProjection({
      live,
      databaseUrl: config.DATABASE_URL,
      brokers,
      security,
      topicSuffix: config.IOC_TOPIC_SUFFIX,
      settings: { timeZone: config.CITY_TIMEZONE, graceMs: config.KPI_GRACE_PERIOD },
    });
    return `${config.DB_SCHEMA}: projection rebuilt from ${applied} events`;
  },
});
