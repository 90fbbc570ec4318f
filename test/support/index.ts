export * from './env';
export * from './wait-for';
