import { PoisonMessageError } from '@ioc/messaging';

/** An observation names a KPI the catalog does not have, or one not fed by observations. */
export class UnknownKpiError extends PoisonMessageError {
  constructor(code: string) {
    super('KPI.UNKNOWN_KPI', `no KPI "${code.slice(0, 64)}" fed by observations in the catalog`);
  }
}

/** An observation names a dimension its KPI is not broken down by. */
export class UnobservedDimensionError extends PoisonMessageError {
  constructor(code: string, kind: string) {
    super('KPI.UNKNOWN_DIMENSION', `KPI "${code}" is not broken down by ${kind}`);
  }
}
