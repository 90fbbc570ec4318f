// Jest globalTeardown of the `faults` project: stops the suite's broker and Postgres and deletes their data.
export { tearDownFaultInfra as default } from './infra.mjs';
