export { bootstrapOrExit, type BootstrapIo } from './config/bootstrap';
export { ConfigError } from './config/config-error';
export { parseDuration } from './config/duration';
export { describeEnv, type EnvSetting, settingsTable } from './config/env-docs';
export {
  commonEnv,
  type CommonEnv,
  envBool,
  envDuration,
  envInt,
  envList,
  envUrl,
  isTimeZone,
  KAFKA_SASL_MECHANISMS,
  kafkaEnv,
  type KafkaEnv,
  kafkaEnvRules,
  type KafkaSaslMechanism,
  LOG_LEVELS,
  type LogLevel,
  nodeEnvVar,
} from './config/env';
export { loadConfig } from './config/load-config';
export { configToken, type ConfigToken, provideConfig } from './config/provide-config';
export { isDependencyUnavailable } from './errors/dependency-failure';
export { type ErrorBody, httpStatusOf, toErrorResponse } from './errors/error-response';
export { HttpErrorRenderer } from './errors/http-error-renderer';
export { IocExceptionFilter } from './errors/ioc-exception.filter';
export {
  ConflictError,
  type FieldError,
  ForbiddenError,
  InternalError,
  IocError,
  type IocErrorDetails,
  type IocErrorKind,
  type IocErrorOptions,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitedError,
  ServiceUnavailableError,
  UnauthorizedError,
  ValidationFailedError,
} from './errors/ioc-error';
export { fieldErrorsOf, iocValidationPipe } from './errors/validation';
export { DecimalNumber, decimalNumber } from './errors/decimal-number';
export { decodeKeysetCursor, encodeKeysetCursor, type KeysetPosition } from './errors/keyset-cursor';
export { CursorPageQuery } from './errors/page-query';
export { hasUnstorableText, MAX_INPUT_DEPTH, unsafeInputFields } from './errors/input-safety';
export {
  HealthModule,
  type HealthModuleAsyncOptions,
  type HealthModuleOptions,
} from './health/health.module';
export { postgresReadiness, type ReadinessCheck, ReadinessTimeoutError } from './health/readiness';
export {
  CORRELATION_ID_HEADER,
  correlationIdFrom,
  currentCorrelationId,
  currentTraceparent,
  isValidCorrelationId,
  newCorrelationId,
  runWithCorrelation,
  traceFrom,
} from './logging/correlation';
export {
  continueTrace,
  formatTraceparent,
  newTrace,
  parseTraceparent,
  type TraceContext,
  TRACEPARENT_HEADER,
} from './logging/trace-context';
export { isSensitiveKey, redact, REDACTED, redactHeaders, redactUrl } from './logging/redact';
export { useIocLogger } from './logging/use-ioc-logger';
export { UNMATCHED_ROUTE } from './metrics/http-metrics';
export { ObservabilityModule, type ObservabilityOptions } from './observability.module';
export { PUBLIC_ROUTE, PublicRoute } from './public-route';
export { createHttpService, type HttpServiceOptions, openApiDocument } from './bootstrap/http-service';
export { byteSize, jsonBodyParser, type JsonBodyParserOptions } from './bootstrap/request-body';
export {
  ApiErrorResponses,
  ErrorBodyDto,
  type ErrorResponseSpec,
  type ErrorStatus,
} from './bootstrap/api-error-responses';
