import { DataSource } from 'typeorm';
import { DatabaseConfigError } from './database.errors';
import { assertSchemaName, qualifiedTable, quotedSchema, schemaOf } from './schema';

describe('schema helpers', () => {
  describe(assertSchemaName.name, () => {
    it.each(['reports', 'kpi_2', '_x', 'a'.repeat(63)])('accepts %s', (name) => {
      expect(assertSchemaName(name)).toBe(name);
    });

    it.each([
      ['empty', ''],
      ['upper case', 'Reports'],
      ['starts with a digit', '1reports'],
      ['a quote', 'x"; DROP SCHEMA public; --'],
      ['a dot', 'a.b'],
      ['64 bytes', 'a'.repeat(64)],
    ])('rejects %s', (_case, name) => {
      expect(() => assertSchemaName(name)).toThrow(
        expect.objectContaining({ code: 'DATABASE.INVALID_SCHEMA_NAME' }) as unknown as Error,
      );
    });
  });

  describe('with a data source bound to a schema', () => {
    const sut = new DataSource({ type: 'postgres', url: 'postgres://x@127.0.0.1:1/x', schema: 'reports' });

    it('reads the schema from the data source and its managers', () => {
      expect(schemaOf(sut)).toBe('reports');
      expect(schemaOf(sut.manager)).toBe('reports');
    });

    it('quotes the schema and qualifies tables', () => {
      expect(quotedSchema(sut)).toBe('"reports"');
      expect(qualifiedTable(sut.manager, 'outbox')).toBe('"reports"."outbox"');
    });
  });

  it('refuses a data source without a schema', () => {
    const sut = new DataSource({ type: 'postgres', url: 'postgres://x@127.0.0.1:1/x' });
    expect(() => schemaOf(sut)).toThrow(DatabaseConfigError);
  });
});
