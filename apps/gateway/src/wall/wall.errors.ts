import { NotFoundError, ServiceUnavailableError } from '@ioc/observability';

/** The development login exists only with the development issuer (AUTH_MODE=dev) outside production. */
export class DevLoginUnavailableError extends NotFoundError {
  constructor() {
    super('The development login is off: AUTH_MODE is not dev, or NODE_ENV is production', {
      code: 'WALL.DEV_LOGIN_UNAVAILABLE',
    });
  }
}

/** A wall file that is not one of the built page's files. */
export class WallAssetNotFoundError extends NotFoundError {
  constructor() {
    super('No such file of the wall', { code: 'WALL.ASSET_NOT_FOUND' });
  }
}

/** The page has not been built (`npm run build`). */
export class WallNotBuiltError extends ServiceUnavailableError {
  constructor() {
    super('The wall is not built: run npm run build', { code: 'WALL.NOT_BUILT' });
  }
}
