import { ConflictError, NotFoundError, ValidationFailedError } from '@ioc/observability';

/** No such incident, or one of another agency (it answers alike: the auth rule "404, not 403"). */
export class IncidentNotFoundError extends NotFoundError {
  constructor(id: string) {
    super(`Incident ${id} not found`, { code: 'INCIDENT.NOT_FOUND' });
  }
}

/** The action does not apply to the incident's status (e.g. acknowledging a cleared incident). */
export class IncidentTransitionError extends ConflictError {
  constructor(action: string, status: string) {
    super(`An incident that is ${status} cannot be ${action}`, {
      code: 'INCIDENT.INVALID_TRANSITION',
      details: { action, status },
    });
  }
}

/** The agency to assign to is not one of the city's (reference data). */
export class UnknownAgencyError extends ValidationFailedError {
  constructor() {
    super([{ field: 'agencyId', message: 'agencyId is not an agency of the city' }], 'Unknown agency', {
      code: 'INCIDENT.UNKNOWN_AGENCY',
    });
  }
}
