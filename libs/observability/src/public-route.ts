import { SetMetadata } from '@nestjs/common';

/**
 * Metadata key marking a handler or controller that needs no caller identity. Declared here so
 * the operational endpoints (health, metrics) can carry it; `@ioc/auth`'s `@Public()` sets it too.
 */
export const PUBLIC_ROUTE = 'ioc:public-route';

/** Marks a handler or controller as open to unauthenticated callers. */
export const PublicRoute = () => SetMetadata(PUBLIC_ROUTE, true);
