/** `source` of the events intake emits (CloudEvents `source`). */
export const INTAKE_EVENT_SOURCE = '/ioc/intake';
