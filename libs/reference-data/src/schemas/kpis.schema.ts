import { z } from 'zod';
import { KPI_AGGREGATIONS, KPI_PILLARS, KPI_UNITS } from '../city-data';
import { kebabCode, localizedName } from './common.schema';

const target = z.strictObject({
  year: z.number().int().min(2000).max(2100),
  value: z.number(),
  source: z.enum(['city-plan', 'operational-default']),
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
      aggregation: z.enum(KPI_AGGREGATIONS),
      targets: z.array(target),
    })
    .superRefine((kpi, ctx) => {
      kpi.targets.forEach(({ year, value }, index) => {
        const path = ['targets', index, 'value'];
        if (kpi.targets.findIndex((other) => other.year === year) !== index)
          ctx.addIssue({
            code: 'custom',
            message: `a target for ${year} is already set`,
            path: ['targets', index, 'year'],
          });
        if (kpi.unit === 'percent' && (value < 0 || value > 100))
          ctx.addIssue({ code: 'custom', message: 'a percentage must be within 0–100', path });
        if (kpi.unit === 'rank' && (!Number.isInteger(value) || value < 1))
          ctx.addIssue({ code: 'custom', message: 'a rank must be a whole number ≥ 1', path });
        if ((kpi.unit === 'count' || kpi.unit === 'hours') && value < 0)
          ctx.addIssue({ code: 'custom', message: `a ${kpi.unit} target must not be negative`, path });
      });
    }),
);
