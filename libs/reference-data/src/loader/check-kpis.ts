import { EVENT_SCHEMAS, EventTypes, TOPIC_CATALOG } from '@ioc/contracts';
import type { Kpi, KpiSource } from '../city-data';
import type { ReferenceDataProblem } from '../reference-data.errors';
import { CITY_DATA_FILES as FILES } from './city-data-files';

/** The service that computes KPIs, as the topic catalog names it among a topic's consumers. */
const KPI_SERVICE = 'kpi';

/** Event types a KPI may be fed by: those on the topics the KPI service consumes. */
const FEEDABLE = new Set<string>(
  TOPIC_CATALOG.filter((topic) => topic.consumers.includes(KPI_SERVICE)).flatMap((topic) => topic.eventTypes),
);

/**
 * What the catalog's schema cannot see: every event a source names is one the KPI service consumes and has the
 * fields the source reads; a composite's inputs exist, and no composite depends on itself, directly or not.
 */
export function checkKpis(kpis: readonly Kpi[]): ReferenceDataProblem[] {
  const problems: ReferenceDataProblem[] = [];
  const byCode = new Map(kpis.map((kpi) => [kpi.code, kpi]));
  const report = (code: ReferenceDataProblem['code'], path: string, message: string) =>
    problems.push({ code, file: FILES.kpis, path, message });

  kpis.forEach((kpi, index) => {
    const at = (path: string) => `[${index}].${path}`;
    for (const [path, source] of sourcesOf(kpi)) checkSource(kpi, source, at(path));
    const { formula } = kpi;
    if (formula.kind === 'gauge')
      formula.sources.forEach((source) => {
        const fields = fieldsOf(source.event);
        const need = (field: string, where: string) => {
          if (FEEDABLE.has(source.event) && !fields.has(field))
            report('UNKNOWN_REFERENCE', at(`formula.${where}`), `${source.event} has no field "${field}"`);
        };
        need(formula.entity, 'entity');
        formula.counts.forEach((filter, j) => need(filter.field, `counts[${j}].field`));
      });
    if (kpi.formula.kind === 'composite')
      kpi.formula.inputs.forEach((input, i) => {
        if (!byCode.has(input.kpi))
          report('UNKNOWN_REFERENCE', at(`formula.inputs[${i}].kpi`), `no KPI "${input.kpi}"`);
      });
  });

  // Cycles among composites: a depth-first walk that meets a KPI still on its path.
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (code: string, path: readonly string[]): void => {
    if (state.get(code) === 'done') return;
    if (state.get(code) === 'visiting') {
      const index = kpis.findIndex((kpi) => kpi.code === code);
      const cycle = [...path.slice(path.indexOf(code)), code].join(' → ');
      report('CIRCULAR_REFERENCE', `[${index}].formula.inputs`, `composite inputs form a cycle: ${cycle}`);
      return;
    }
    state.set(code, 'visiting');
    const formula = byCode.get(code)?.formula;
    if (formula?.kind === 'composite') for (const input of formula.inputs) visit(input.kpi, [...path, code]);
    state.set(code, 'done');
  };
  for (const kpi of kpis) visit(kpi.code, []);
  return problems;

  function checkSource(kpi: Kpi, source: KpiSource, path: string): void {
    if (!FEEDABLE.has(source.event)) {
      report(
        'UNKNOWN_REFERENCE',
        `${path}.event`,
        `"${source.event}" is no event type the KPI service consumes`,
      );
      return;
    }
    const fields = fieldsOf(source.event);
    const need = (field: string, where: string) => {
      if (!fields.has(field))
        report('UNKNOWN_REFERENCE', `${path}.${where}`, `${source.event} has no field "${field}"`);
    };
    source.where?.forEach((filter, i) => {
      need(filter.field, `where[${i}].field`);
      if ('notAfterField' in filter) need(filter.notAfterField, `where[${i}].notAfterField`);
    });
    if (source.time === undefined) {
      if (!['occurredAt', 'observedAt', 'since'].some((field) => fields.has(field)))
        report('UNKNOWN_REFERENCE', `${path}.time`, `${source.event} has no event time field; name one`);
    } else source.time.forEach((field, i) => need(field, `time[${i}]`));
    if (source.value !== undefined) {
      if ('field' in source.value) need(source.value.field, 'value.field');
      else source.value.hoursBetween.forEach((field, i) => need(field, `value.hoursBetween[${i}]`));
    }
    if ('entity' in source && typeof source.entity === 'string') need(source.entity, 'entity');
    if ('state' in source && typeof source.state === 'string') need(source.state, 'state');
    if (source.event !== EventTypes.kpiObservation)
      for (const [kind, field] of Object.entries(kpi.dimensions))
        if (field !== undefined && !fields.has(field) && !otherSourceHas(kpi, field))
          report(
            'UNKNOWN_REFERENCE',
            `${path}.event`,
            `no source of the KPI has the ${kind} field "${field}"`,
          );
  }
}

/** Each source of a KPI with its path in the entry. */
export function sourcesOf(kpi: Kpi): [string, KpiSource][] {
  const { formula } = kpi;
  switch (formula.kind) {
    case 'ratio':
      return [
        ['formula.numerator', formula.numerator],
        ['formula.denominator', formula.denominator],
      ];
    case 'composite':
      return [];
    case 'gauge':
      return formula.sources.map((source, i) => [`formula.sources[${i}]`, source]);
    default:
      return [['formula.source', formula.source]];
  }
}

function otherSourceHas(kpi: Kpi, field: string): boolean {
  return sourcesOf(kpi).some(([, source]) => fieldsOf(source.event).has(field));
}

function fieldsOf(event: string): Set<string> {
  const schema = (EVENT_SCHEMAS as Record<string, { properties?: Record<string, unknown> } | undefined>)[
    event
  ];
  return new Set(Object.keys(schema?.properties ?? {}));
}
