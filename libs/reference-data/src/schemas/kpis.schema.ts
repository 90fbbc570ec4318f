import { z } from 'zod';
import { KPI_AGGREGATIONS, KPI_PILLARS, KPI_UNITS } from '../city-data';
import { kebabCode, localizedName } from './common.schema';

const PERIODS = ['hour', 'day', 'month', 'quarter', 'year'] as const;
const PERIOD_ORDER = new Map(PERIODS.map((period, index) => [period, index]));
const fieldName = z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,63}$/, 'must be an event field name');
const scalar = z.union([z.string().max(64), z.number(), z.boolean()]);

const target = z.strictObject({
  year: z.number().int().min(2000).max(2100),
  value: z.number(),
  atRisk: z.number().optional(),
  periods: z.array(z.enum(PERIODS)).min(1).optional(),
  source: z.enum(['city-plan', 'operational-default']),
});

const filter = z.union([
  z.strictObject({ field: fieldName, equals: scalar }),
  z.strictObject({ field: fieldName, in: z.array(scalar).min(1).max(32) }),
  z.strictObject({ field: fieldName, notAfterField: fieldName }),
]);

const valueExpression = z.union([
  z.strictObject({ field: fieldName }),
  z.strictObject({ hoursBetween: z.tuple([fieldName, fieldName]) }),
]);

const source = z.strictObject({
  event: z
    .string()
    .regex(/^ioc\.[a-z0-9.-]+\.v\d+$/, 'must be a versioned event type, e.g. ioc.report.resolved.v1'),
  where: z.array(filter).max(8).optional(),
  time: z.array(fieldName).min(1).max(4).optional(),
  value: valueExpression.optional(),
});

const valued = source.required({ value: true });

const formula = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('ratio'), numerator: source, denominator: source }),
  z.strictObject({ kind: z.literal('count'), source }),
  z.strictObject({ kind: z.enum(['sum', 'mean', 'latest']), source: valued }),
  z.strictObject({
    kind: z.literal('percentile'),
    percentile: z.number().gt(0).lt(100),
    source: valued,
  }),
  z.strictObject({
    kind: z.literal('time-share'),
    source: source.extend({ entity: fieldName, state: fieldName }),
    states: z.array(z.string().min(1).max(64)).min(1).max(16),
  }),
  z.strictObject({
    kind: z.literal('gauge'),
    sources: z
      .array(source.omit({ value: true }))
      .min(1)
      .max(16),
    entity: fieldName,
    counts: z.array(filter).min(1).max(8),
  }),
  z.strictObject({
    kind: z.literal('composite'),
    inputs: z
      .array(z.strictObject({ kpi: kebabCode, weight: z.number().positive().max(1000) }))
      .min(1)
      .max(64),
  }),
]);

const dimensions = z.strictObject({
  unit: fieldName.optional(),
  agency: fieldName.optional(),
  category: fieldName.optional(),
  channel: fieldName.optional(),
  sector: fieldName.optional(),
});

/** `kpis.json`. */
export const kpisSchema = z.array(
  z
    .strictObject({
      code: kebabCode,
      names: localizedName,
      pillar: z.enum(KPI_PILLARS),
      unit: z.enum(KPI_UNITS),
      direction: z.enum(['at-least', 'at-most']),
      /** Optional in the file: it is `formula.kind`, and must agree when given. */
      aggregation: z.enum(KPI_AGGREGATIONS).optional(),
      formula,
      periods: z.array(z.enum(PERIODS)).min(1).default(['day', 'month', 'year']),
      dimensions: dimensions.default({}),
      targets: z.array(target),
    })
    .superRefine((kpi, ctx) => {
      if (kpi.aggregation !== undefined && kpi.aggregation !== kpi.formula.kind)
        ctx.addIssue({
          code: 'custom',
          message: `must be the formula's kind "${kpi.formula.kind}"`,
          path: ['aggregation'],
        });
      kpi.periods.forEach((period, index) => {
        if (kpi.periods.indexOf(period) !== index)
          ctx.addIssue({ code: 'custom', message: `"${period}" is listed twice`, path: ['periods', index] });
      });
      kpi.targets.forEach(({ year, value, atRisk, periods }, index) => {
        const path = ['targets', index, 'value'];
        if (kpi.targets.findIndex((other) => other.year === year && same(other.periods, periods)) !== index)
          ctx.addIssue({
            code: 'custom',
            message: `a target for ${year} is already set`,
            path: ['targets', index, 'year'],
          });
        if (kpi.unit === 'percent' && (value < 0 || value > 100))
          ctx.addIssue({ code: 'custom', message: 'a percentage must be within 0–100', path });
        if (kpi.unit === 'score' && (value < 0 || value > 100))
          ctx.addIssue({ code: 'custom', message: 'a score must be within 0–100', path });
        if (kpi.unit === 'rank' && (!Number.isInteger(value) || value < 1))
          ctx.addIssue({ code: 'custom', message: 'a rank must be a whole number ≥ 1', path });
        if ((kpi.unit === 'count' || kpi.unit === 'hours') && value < 0)
          ctx.addIssue({ code: 'custom', message: `a ${kpi.unit} target must not be negative`, path });
        if (atRisk !== undefined && (kpi.direction === 'at-least' ? atRisk > value : atRisk < value))
          ctx.addIssue({
            code: 'custom',
            message: `the at-risk edge must lie ${kpi.direction === 'at-least' ? 'at or below' : 'at or above'} the target`,
            path: ['targets', index, 'atRisk'],
          });
        periods?.forEach((period, i) => {
          if (!kpi.periods.includes(period))
            ctx.addIssue({
              code: 'custom',
              message: `"${period}" is not one of the KPI's periods`,
              path: ['targets', index, 'periods', i],
            });
        });
      });
    })
    .transform(({ aggregation: _aggregation, ...kpi }) => ({
      ...kpi,
      aggregation: kpi.formula.kind,
      periods: kpi.periods.toSorted((a, b) => (PERIOD_ORDER.get(a) ?? 0) - (PERIOD_ORDER.get(b) ?? 0)),
    })),
);

function same(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  return (a ?? []).toSorted().join() === (b ?? []).toSorted().join();
}
