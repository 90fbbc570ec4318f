import { InvalidEventError } from '@ioc/contracts';
import { newTrace, formatTraceparent, runWithCorrelation } from '@ioc/observability';
import { DataSource, type EntityManager } from 'typeorm';
import { aDetection } from '../../test/fixtures/events';
import { Outbox } from './outbox';

/** An EntityManager of a data source bound to schema `svc`, recording its queries instead of running them. */
function aManager(inTransaction: boolean) {
  const queries: { sql: string; parameters: unknown[] }[] = [];
  const dataSource = new DataSource({ type: 'postgres', url: 'postgres://x@127.0.0.1:1/x', schema: 'svc' });
  const manager = {
    connection: dataSource,
    queryRunner: inTransaction ? { isTransactionActive: true } : undefined,
    query: async (sql: string, parameters: unknown[]) => {
      queries.push({ sql, parameters });
      return [];
    },
  } as unknown as EntityManager;
  return { manager, queries };
}

describe(Outbox.name, () => {
  const sut = new Outbox();

  it('stores the encoded records in the schema of the caller’s transaction, in order, in one statement', async () => {
    const { manager, queries } = aManager(true);
    const events = [aDetection('cam-1', { id: 'e-1' }), aDetection('cam-2', { id: 'e-2' })];

    await sut.enqueue(manager, 'ioc.camera.detections.t', events);

    expect(queries).toHaveLength(1);
    const [{ sql, parameters }] = queries;
    expect(sql).toContain('INSERT INTO "svc"."outbox"');
    expect(sql).toContain('ORDER BY position');
    const [topic, ids, keys, headers, payloads] = parameters as [
      string,
      string[],
      string[],
      string[],
      Buffer[],
    ];
    expect(topic).toBe('ioc.camera.detections.t');
    expect(ids).toEqual(['e-1', 'e-2']);
    expect(keys).toEqual(['cam-1', 'cam-2']);
    expect(JSON.parse(headers[0])).toMatchObject({ ce_id: 'e-1', ce_type: 'ioc.camera.detection.v1' });
    expect(JSON.parse(payloads[1].toString())).toEqual(events[1].data);
  });

  it("stamps the current flow's correlation id and traceparent on events that carry none", async () => {
    const { manager, queries } = aManager(true);
    const trace = newTrace();

    await runWithCorrelation(
      'req-42',
      () =>
        sut.enqueue(manager, 't', [aDetection('cam-1'), { ...aDetection('cam-2'), correlationid: 'own' }]),
      trace,
    );

    const headers = (queries[0].parameters[3] as string[]).map((h) => JSON.parse(h));
    expect(headers.map((h) => [h.ce_correlationid, h.ce_traceparent])).toEqual([
      ['req-42', formatTraceparent(trace)],
      ['own', formatTraceparent(trace)],
    ]);
  });

  it('refuses to run outside a transaction, where the event could outlive a rolled-back change', async () => {
    const { manager, queries } = aManager(false);

    await expect(sut.enqueue(manager, 't', [aDetection('cam-1')])).rejects.toMatchObject({
      code: 'MESSAGING.OUTBOX_OUTSIDE_TRANSACTION',
    });
    expect(queries).toEqual([]);
  });

  it('refuses an event that breaks its contract, before anything is stored', async () => {
    const { manager, queries } = aManager(true);
    const invalid = { ...aDetection('cam-1'), data: { cameraId: 'cam-1', confidence: 3 } };

    await expect(sut.enqueue(manager, 't', [aDetection('cam-0'), invalid])).rejects.toBeInstanceOf(
      InvalidEventError,
    );
    expect(queries).toEqual([]);
  });

  it('gives the rows for a caller’s statement as enqueue writes them, parameters numbered from where it says', async () => {
    const { manager, queries } = aManager(true);
    const events = [aDetection('cam-1', { id: 'e-1' }), aDetection('cam-2', { id: 'e-2' })];
    const trace = newTrace();
    await runWithCorrelation('req-1', () => sut.enqueue(manager, 't', events), trace);

    const rows = runWithCorrelation('req-1', () => sut.rows('t', events), trace);
    const own = rows.insert(manager, 30);

    expect(rows.size).toBe(2);
    expect(rows.events.map((e) => e.id)).toEqual(['e-1', 'e-2']);
    expect(own.parameters).toEqual(queries[0].parameters);
    expect(own.sql).toContain('$30, message_key');
    expect(own.sql).toContain('unnest($31::text[], $32::text[], $33::jsonb[], $34::bytea[])');
    expect(own.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) - 29}`)).toBe(queries[0].sql);
  });
});
