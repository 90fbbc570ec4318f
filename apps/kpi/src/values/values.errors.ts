import { NotFoundError, ValidationFailedError } from '@ioc/observability';

/** No such KPI, or (for an agency) a slice of the city it may not see: both answer alike. */
export class KpiNotFoundError extends NotFoundError {
  constructor() {
    super('No such KPI value', { code: 'KPI.NOT_FOUND' });
  }
}

/** The KPI is not computed for the period asked. */
export class PeriodNotComputedError extends ValidationFailedError {
  constructor(code: string, period: string) {
    super([{ field: 'period', message: `KPI ${code} is not computed by ${period}` }], 'Period not computed', {
      code: 'KPI.PERIOD_NOT_COMPUTED',
    });
  }
}
