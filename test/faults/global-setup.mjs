// Jest globalSetup of the `faults` project: a Kafka broker and a Postgres of the suite's own (test/faults/infra.mjs).
export { setUpFaultInfra as default } from './infra.mjs';
