import { Public } from '@ioc/auth';
import { ApiErrorResponses } from '@ioc/observability';
import { Body, Controller, Get, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DevLoginRequest, DevLoginResponse, WallSettingsResponse } from './dev-login.dto';
import { DevLoginService } from './dev-login.service';
import { WALL_ASSETS, WALL_CSP, WallFiles } from './wall-page';
import { WallAssetNotFoundError, WallNotBuiltError } from './wall.errors';
import type { WallCity, WallSettings } from './wall.types';
import { WALL_CITY, WALL_OPTIONS, type WallOptions } from './wall.options';

const names = { type: 'object', properties: { vi: { type: 'string' }, en: { type: 'string' } } } as const;
const list = (description: string) => ({ type: 'array', description, items: { type: 'object' } }) as const;
const WALL_CITY_SCHEMA = {
  type: 'object',
  required: ['city', 'units', 'segments', 'cameras', 'agencies', 'categories', 'kpis'],
  properties: {
    city: { type: 'object', properties: { code: { type: 'string' }, names, timezone: { type: 'string' } } },
    units: {
      type: 'object',
      description: 'Units in force today, a GeoJSON FeatureCollection keyed by unit code',
    },
    segments: list('Road segments: id, names, coordinates [lon, lat][], adminUnitCode'),
    cameras: list('Cameras: id, names, location, adminUnitCode, ownerAgencyId'),
    agencies: list('Agencies: id, names'),
    categories: list('Report categories: code, names'),
    kpis: list('KPI catalog: code, names, unit, direction'),
  },
};

/**
 * The operations wall: the page at `/` and its built files, the city it draws, how to log in, and the development
 * login. The page's data is public reference data; everything live comes over the authenticated socket.
 */
@ApiTags('wall')
@Public()
@Controller()
export class WallController {
  constructor(
    private readonly files: WallFiles,
    private readonly devLogin: DevLoginService,
    @Inject(WALL_CITY) private readonly city: WallCity,
    @Inject(WALL_OPTIONS) private readonly options: WallOptions,
  ) {}

  @Get()
  @ApiExcludeEndpoint()
  page(@Res() res: Response): void {
    const html = this.files.read('index.html');
    if (html === undefined) throw new WallNotBuiltError();
    res.setHeader('Content-Security-Policy', WALL_CSP);
    res.setHeader('Cache-Control', 'no-cache');
    res.type('text/html; charset=utf-8').send(html);
  }

  @Get('wall/assets/:name')
  @ApiExcludeEndpoint()
  asset(@Param('name') name: string, @Res() res: Response): void {
    const bytes = this.files.read(name);
    if (bytes === undefined || name === 'index.html') throw new WallAssetNotFoundError();
    res.setHeader('Content-Security-Policy', WALL_CSP);
    res.setHeader('Cache-Control', 'no-cache');
    res.type(WALL_ASSETS[name]).send(bytes);
  }

  @Get('wall/city.json')
  @ApiOperation({
    summary: 'The city the wall draws: current units (GeoJSON), road segments, cameras, names',
  })
  @ApiOkResponse({ description: 'Public reference data of the city', schema: WALL_CITY_SCHEMA })
  @ApiErrorResponses(500)
  cityData(): WallCity {
    return this.city;
  }

  @Get('wall/settings')
  @ApiOperation({ summary: 'How the wall signs in: identity provider or development login' })
  @ApiOkResponse({ type: WallSettingsResponse })
  @ApiErrorResponses(500)
  settings(): WallSettings {
    return { authMode: this.options.authMode, devLogin: this.devLogin.enabled };
  }

  @Post('wall/dev-login')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'A development token for a role and agency (AUTH_MODE=dev outside production only; 404 otherwise)',
  })
  @ApiOkResponse({ type: DevLoginResponse })
  @ApiErrorResponses(400, { status: 404, description: 'WALL.DEV_LOGIN_UNAVAILABLE: not in development mode' })
  login(@Body() body: DevLoginRequest): Promise<DevLoginResponse> {
    return this.devLogin.login(body.role, body.agencyId);
  }
}
