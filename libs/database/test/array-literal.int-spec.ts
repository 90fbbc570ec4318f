import { pgArrayLiteral } from '@ioc/database';
import { databaseUrl } from '@ioc/testing';
import fc from 'fast-check';
import { Client } from 'pg';

// The literal must read back in Postgres as the very elements written, whatever their text.
describe(`${pgArrayLiteral.name} in Postgres`, () => {
  const client = new Client({ connectionString: databaseUrl() });

  beforeAll(() => client.connect());
  afterAll(() => client.end());

  const readBack = async (literal: string, type: string) =>
    (await client.query<{ a: unknown[] }>(`SELECT $1::${type}[] AS a`, [literal])).rows[0].a;

  it('reads back any text, NULLs included', async () => {
    // Postgres text cannot hold NUL; every other code point can.
    const text = fc.oneof(
      fc.string({ unit: 'binary' }).filter((s) => !s.includes('\u0000')),
      fc.constantFrom('', 'NULL', 'null', ' ', '{}', '","', '\\', '"', 'a b', '\t\n', '\u00a0', 'Hải Phòng'),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.option(text, { nil: null }), { maxLength: 20 }), async (values) => {
        expect(await readBack(pgArrayLiteral(values), 'text')).toEqual(values);
      }),
      { numRuns: 300 },
    );
  });

  it('reads back float8, bigint and boolean elements', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.option(fc.oneof(fc.double({ noNaN: true }), fc.constant(-0)), { nil: null })),
        async (values) => {
          const back = (await readBack(pgArrayLiteral(values), 'float8')) as (number | null)[];
          expect(back).toEqual(values);
        },
      ),
      { numRuns: 200 },
    );
    expect(await readBack(pgArrayLiteral([0, -42, Number.MAX_SAFE_INTEGER, null]), 'int8')).toEqual([
      '0',
      '-42',
      String(Number.MAX_SAFE_INTEGER),
      null,
    ]);
    expect(await readBack(pgArrayLiteral([true, false, null]), 'boolean')).toEqual([true, false, null]);
  });
});
