export * from './env';
export * from './wait-for';
export * from './intake-ingest';
export * from './reports';
export * from './openapi';
export * from './isolation';
export * from './http-fuzz';
