import { DevTokenIssuer } from '@ioc/auth';
import { ValidationFailedError } from '@ioc/observability';
import { Clock } from '@ioc/platform';
import { Inject, Injectable } from '@nestjs/common';
import { DevLoginUnavailableError } from './wall.errors';
import type { DevLoginAnswer, DevLoginRole, WallCity } from './wall.types';
import { WALL_CITY, WALL_OPTIONS, type WallOptions } from './wall.options';

/** A development token lasts a shift, so a demo does not expire under the presenter. */
const DEV_LOGIN_TTL_SECONDS = 8 * 3600;

/**
 * The wall's development login: mints a token for a chosen role and agency with the development issuer the
 * gateway itself trusts (AUTH_MODE=dev). With the identity provider (AUTH_MODE=jwks) or in production it does not
 * exist: every call answers 404 `WALL.DEV_LOGIN_UNAVAILABLE`.
 */
@Injectable()
export class DevLoginService {
  private issuer?: Promise<DevTokenIssuer>;

  constructor(
    @Inject(WALL_OPTIONS) private readonly options: WallOptions,
    @Inject(WALL_CITY) private readonly city: WallCity,
    private readonly clock: Clock,
  ) {}

  get enabled(): boolean {
    return this.options.authMode === 'dev' && this.options.nodeEnv !== 'production';
  }

  async login(role: DevLoginRole, agencyId: string | undefined): Promise<DevLoginAnswer> {
    if (!this.enabled) throw new DevLoginUnavailableError();
    if (role === 'agency' && agencyId === undefined) {
      throw new ValidationFailedError([{ field: 'agencyId', message: 'is required for the agency role' }]);
    }
    if (role === 'operator' && agencyId !== undefined) {
      throw new ValidationFailedError([{ field: 'agencyId', message: 'is only for the agency role' }]);
    }
    if (agencyId !== undefined && !this.city.agencies.some((agency) => agency.id === agencyId)) {
      throw new ValidationFailedError([{ field: 'agencyId', message: 'must be an agency of the city data' }]);
    }
    this.issuer ??= DevTokenIssuer.open({
      keysDir: this.options.devKeysDir,
      nodeEnv: this.options.nodeEnv,
      issuer: this.options.issuer,
      audience: this.options.audience,
    });
    const issuer = await this.issuer;
    const token = await issuer.mint({
      subject: agencyId === undefined ? `dev-wall-${role}` : `dev-wall-${agencyId}`,
      roles: [role],
      ...(agencyId === undefined ? {} : { agencyId }),
      ttlSeconds: DEV_LOGIN_TTL_SECONDS,
    });
    return {
      token,
      expiresAt: new Date(this.clock.now().getTime() + DEV_LOGIN_TTL_SECONDS * 1000).toISOString(),
    };
  }
}
