import { loadCityData } from '@ioc/reference-data';
import { Clock } from '@ioc/platform';
import { type DynamicModule, Module } from '@nestjs/common';
import { DevLoginService } from './dev-login.service';
import { wallCityOf } from './wall-city';
import { WallController } from './wall.controller';
import { WallFiles } from './wall-page';
import { WALL_CITY, WALL_OPTIONS, type WallOptions, wallOptionsOf } from './wall.options';

/** The operations wall served by the gateway at `/` (apps/gateway/wall is the page's source). */
@Module({})
export class WallModule {
  static forRoot(config: Parameters<typeof wallOptionsOf>[0]): DynamicModule {
    return {
      module: WallModule,
      controllers: [WallController],
      providers: [
        { provide: WALL_OPTIONS, useValue: wallOptionsOf(config) },
        {
          provide: WALL_CITY,
          inject: [WALL_OPTIONS, Clock],
          useFactory: async (options: WallOptions, clock: Clock) =>
            wallCityOf(await loadCityData(options.cityDataDir), clock.now()),
        },
        { provide: WallFiles, useValue: new WallFiles() },
        DevLoginService,
      ],
    };
  }
}
