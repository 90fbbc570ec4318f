import { EventTypes, Topics } from '@ioc/contracts';
import { apiKeyCli, ServiceWorld } from '@ioc/testing';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { sampleData } from '../../../libs/contracts/test/event-samples';
import { intakeService } from '../src/bootstrap';

// The operator's key command (`npm run api-key -- --service intake …`, a process of its own) against the real
// Postgres, then the intake app on the same schema taking the key on HTTP ingest, the event read back from Kafka.
jest.setTimeout(120_000);

const world = new ServiceWorld();
const schema = world.schemaOf(intakeService.name);
const KEY = /^ioc_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

afterAll(() => world.tearDown());

function detection(): Record<string, unknown> {
  const data = sampleData(EventTypes.cameraDetection);
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: '/vendors/acme-vision',
    type: EventTypes.cameraDetection,
    subject: String(data.cameraId),
    time: '2025-03-01T02:00:00Z',
    data,
  };
}

describe('npm run api-key -- --service intake', () => {
  it('makes a key before the service first starts, which HTTP ingest then takes, within its scopes', async () => {
    // The schema does not exist yet: the command applies intake's own migrations first.
    const created = await apiKeyCli(
      ['--service', 'intake', '--integrator', 'acme-vision', '--scope', 'ioc.camera.detections'],
      schema,
    );
    expect(created).toMatchObject({ exitCode: 0, stderr: expect.stringContaining(`${schema}: created key`) });
    const key = created.stdout.trim();
    const [, id, secret] = KEY.exec(key) ?? [];
    expect(id).toBeDefined();

    await world.setUp();
    const app = await world.boot(intakeService);
    const reader = await world.read([Topics.cameraDetections]);

    const event = detection();
    const accepted = await request(app.getHttpServer())
      .post('/ingest/events')
      .set('X-API-Key', key)
      .set('content-type', 'application/cloudevents+json')
      .send(JSON.stringify(event));
    expect(accepted.status).toBe(202);
    await reader.waitFor(world.topic(Topics.cameraDetections), (record) => record.headers.ce_id === event.id);

    const outOfScope = await request(app.getHttpServer())
      .post('/ingest/events')
      .set('X-API-Key', key)
      .set('content-type', 'application/cloudevents+json')
      .send(
        JSON.stringify({
          ...detection(),
          type: EventTypes.cameraHeartbeat,
          data: sampleData(EventTypes.cameraHeartbeat),
        }),
      );
    expect(outOfScope.status).toBe(403);

    // Only the hash was stored.
    const listed = await apiKeyCli(['--service', 'intake', '--list'], schema);
    expect(listed.stdout).toContain(`${id}\tacme-vision\tioc.camera.detections\t`);
    expect(listed.stdout).not.toContain(secret);
    const rows: unknown[] = await app.get(DataSource).query(`SELECT * FROM "${schema}".api_keys`);
    expect(JSON.stringify(rows)).not.toContain(secret);

    const revoked = await apiKeyCli(['--service', 'intake', '--revoke', id], schema);
    expect(revoked).toMatchObject({ exitCode: 0, stdout: `${schema}: revoked key ${id}\n` });
    const refused = await request(app.getHttpServer())
      .post('/ingest/events')
      .set('X-API-Key', key)
      .set('content-type', 'application/cloudevents+json')
      .send(JSON.stringify(detection()));
    expect(refused.status).toBe(401);
  });

  it('refuses a scope intake does not grant, and a service that is not named', async () => {
    const wrongScope = await apiKeyCli(
      ['--service', 'intake', '--integrator', 'acme', '--scope', 'ioc.incidents.events'],
      schema,
    );
    expect(wrongScope).toMatchObject({ exitCode: 2, stdout: '' });
    expect(wrongScope.stderr).toContain('not a scope of intake: ioc.incidents.events');

    const noService = await apiKeyCli(['--integrator', 'acme'], schema);
    expect(noService).toMatchObject({ exitCode: 2, stdout: '' });
    expect(noService.stderr).toContain('--service intake|reports');
  });
});
