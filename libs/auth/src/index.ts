export { assertAgencyScope, canAccessAgency } from './agency-scope';
export { apiKeyFieldErrors, type CreatedApiKey, ApiKeyService } from './api-keys/api-key.service';
export {
  type ApiKeyRecord,
  ApiKeyRepository,
  type ApiKeySummary,
  type NewApiKey,
} from './api-keys/api-key.repository';
export { CreateApiKeysTable1795400000000 } from './api-keys/api-keys.migration';
export { InMemoryApiKeyRepository } from './api-keys/in-memory-api-key.repository';
export { TypeOrmApiKeyRepository } from './api-keys/typeorm-api-key.repository';
export { type AuthEnv, authEnv, JWT_ALGORITHMS } from './auth.env';
export {
  IdentityProviderUnavailableError,
  InvalidApiKeyError,
  InvalidTokenError,
  MissingCredentialsError,
  RoleRequiredError,
  TokenExpiredError,
} from './auth.errors';
export { AuthModule, type AuthModuleOptions } from './auth.module';
export {
  apiKeyCommand,
  type ApiKeyCommandTarget,
  apiKeyUsage,
  parseApiKeyCommand,
  runApiKeyCommand,
} from './cli/api-key-command';
export { ApiKeyGuard } from './guards/api-key.guard';
export { AuthGuard } from './guards/auth.guard';
export { ApiKeyAuth, CurrentPrincipal, Public, Roles } from './guards/decorators';
export { type ApiKeyAuthOptions } from './guards/metadata';
export {
  type AuthenticatedRequest,
  type AuthenticatedSocket,
  principalOf,
  principalOfSocket,
} from './guards/principal-holder';
export { assertRoles } from './guards/roles';
export { isRole, type Principal, type Role, ROLES } from './principal';
export {
  type AuthenticatableSocket,
  authenticateSocket,
  type ConnectError,
  type SocketHandshake,
  socketAuthMiddleware,
} from './socket/socket-auth';
export { bearerTokenFrom, MAX_TOKEN_LENGTH } from './tokens/bearer';
export { createTokenVerifier } from './tokens/create-token-verifier';
export {
  DEV_AUDIENCE,
  DEV_ISSUER,
  type DevTokenClaims,
  DevTokenIssuer,
  type DevTokenIssuerOptions,
} from './tokens/dev-token.issuer';
export { type JwtVerificationOptions, JwtTokenVerifier } from './tokens/jwt-token.verifier';
export { TokenVerifier } from './tokens/token-verifier';
