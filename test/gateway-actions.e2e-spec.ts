import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { ServiceWorld } from '@ioc/testing';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { gatewayService } from '../apps/gateway/src/bootstrap';
import { intakeService } from '../apps/intake/src/bootstrap';
import { reportsService } from '../apps/reports/src/bootstrap';

// The wall's actions go through the gateway to the service that owns them, with the caller's own token: what
// the owning service answers is what the wall gets, and a service that is down is a 502 the wall can read.
const world = new ServiceWorld();
const urlOf = (app: INestApplication) =>
  `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;

describe("the gateway's forwarded actions", () => {
  let gateway: INestApplication;
  let orphan: INestApplication;
  let operator: string;

  beforeAll(async () => {
    await world.setUp();
    const [reports, intake] = [await world.boot(reportsService), await world.boot(intakeService)];
    gateway = await world.boot(gatewayService, {
      GATEWAY_REPORTS_URL: urlOf(reports),
      GATEWAY_INTAKE_URL: urlOf(intake),
    });
    // A gateway whose services are not there (nothing listens on port 9).
    orphan = await world.boot(gatewayService, {
      GATEWAY_REPORTS_URL: 'http://127.0.0.1:9',
      GATEWAY_INTAKE_URL: 'http://127.0.0.1:9/base/',
      GATEWAY_UPSTREAM_TIMEOUT: '2s',
    });
    operator = await world.token({ subject: 'op-actions', roles: ['operator'] });
  });

  afterAll(() => world.tearDown());

  const post = (app: INestApplication, path: string, token: string | undefined, body: object = {}) => {
    const call = request(app.getHttpServer()).post(path).send(body);
    return token === undefined ? call : call.set('authorization', `Bearer ${token}`);
  };

  it('refuses callers without a token or of another role before forwarding anything', async () => {
    const none = await post(gateway, '/api/incidents/inc-1/acknowledge', undefined);
    expect(none.status).toBe(401);
    expect(none.body.code).toBe('AUTH.MISSING_CREDENTIALS');
    const citizen = await world.token({ subject: 'c', roles: ['citizen'] });
    const refused = await post(gateway, '/api/reports/x/assign', citizen, { agencyId: 'a' });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('AUTH.ROLE_REQUIRED');
  });

  it("relays the owning service's 4xx answers as they are", async () => {
    const missing = await post(gateway, '/api/incidents/inc-unknown/acknowledge', operator);
    expect(missing.status).toBe(404);
    expect(missing.body.code).toMatch(/NOT_FOUND$/);
    const invalid = await post(gateway, `/api/reports/${randomUUID()}/assign`, operator, { agencyId: 42 });
    expect(invalid.status).toBe(400);
    expect(invalid.body.code).toBe('VALIDATION.FAILED');
    const unknown = await post(gateway, `/api/reports/${randomUUID()}/assign`, operator, {
      agencyId: 'nobody',
    });
    expect([404, 409, 400]).toContain(unknown.status);
    expect(typeof unknown.body.code).toBe('string');
    // The agency's own token goes through too: intake, not the gateway, decides it may not assign.
    const agency = await world.token({ subject: 'ag', roles: ['agency'], agencyId: 'agency-a' });
    const notAllowed = await post(gateway, '/api/incidents/inc-1/assign', agency, { agencyId: 'agency-a' });
    expect(notAllowed.status).toBe(403);
    expect(notAllowed.body.code).toBe('AUTH.ROLE_REQUIRED');
  });

  it('answers ids no service would take with a 4xx of its own, without forwarding them', async () => {
    for (const id of ['..%2F..%2Fhealth', '%00', 'a'.repeat(200), 'x%20y']) {
      const answer = await post(gateway, `/api/incidents/${id}/acknowledge`, operator);
      expect([400, 404]).toContain(answer.status);
      expect(answer.body).toMatchObject({ statusCode: answer.status, code: expect.any(String) });
    }
  });

  it('answers 502 with a machine-readable body when the owning service is down', async () => {
    for (const path of ['/api/incidents/inc-1/acknowledge', '/api/reports/r-1/assign']) {
      const answer = await post(orphan, path, operator, { agencyId: 'a' });
      expect(answer.status).toBe(502);
      expect(answer.body).toMatchObject({ statusCode: 502, code: 'GATEWAY.UPSTREAM_UNAVAILABLE' });
    }
  });
});
