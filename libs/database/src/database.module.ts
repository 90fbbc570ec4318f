import {
  ConfigurableModuleBuilder,
  Inject,
  Injectable,
  Module,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createDataSource, type CreateDataSourceOptions } from './data-source.factory';
import { runMigrations } from './run-migrations';
import { TypeOrmUnitOfWork, UnitOfWork } from './unit-of-work';

/** Options of {@link DatabaseModule}. */
export interface DatabaseModuleOptions extends CreateDataSourceOptions {
  /**
   * Run pending migrations (under the advisory lock) before the module is ready. Default `true`: every
   * replica may start at once safely; turn it off where a separate job migrates.
   */
  runMigrations?: boolean;
}

const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN } =
  new ConfigurableModuleBuilder<DatabaseModuleOptions>({
    moduleName: 'Database',
  })
    .setClassMethodName('forRoot')
    // Global so that other libs' modules (messaging's outbox) can inject the one DataSource.
    .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
    .build();

@Injectable()
class DataSourceCloser implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  // onApplicationShutdown runs after every module's beforeApplicationShutdown, where consumers and the
  // outbox relay finish their last transaction.
  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

/**
 * Provides the service's TypeORM `DataSource` (inject it by its class), initialized and migrated, and the
 * {@link UnitOfWork} on it, and closes it on shutdown. `DatabaseModule.forRoot(options)` or `DatabaseModule.forRootAsync({ useFactory,
 * inject })`.
 */
@Module({
  providers: [
    {
      provide: DataSource,
      inject: [MODULE_OPTIONS_TOKEN],
      useFactory: async (options: DatabaseModuleOptions): Promise<DataSource> => {
        const { runMigrations: migrate = true, ...dataSourceOptions } = options;
        const dataSource = createDataSource(dataSourceOptions);
        await dataSource.initialize();
        try {
          if (migrate) await runMigrations(dataSource);
        } catch (error) {
          await dataSource.destroy();
          throw error;
        }
        return dataSource;
      },
    },
    DataSourceCloser,
    { provide: UnitOfWork, useClass: TypeOrmUnitOfWork },
  ],
  exports: [DataSource, UnitOfWork],
})
export class DatabaseModule extends ConfigurableModuleClass {}
