import { EffectScatterChart, LineChart, LinesChart, MapChart, ScatterChart } from 'echarts/charts';
import { GeoComponent, GridComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { WallCity } from '../../src/wall/wall.types';
import {
  cameraColour,
  congestionColour,
  incidentColour,
  incidentNeedsAttention,
  incidentSize,
  reportColour,
} from './colours';
import { type Locale, nameIn } from './i18n';
import type { WallStore } from './state';

// Only the parts of ECharts the wall draws with are bundled; the canvas renderer needs no worker and no fonts.
echarts.use([
  MapChart,
  LinesChart,
  ScatterChart,
  EffectScatterChart,
  LineChart,
  GeoComponent,
  GridComponent,
  TooltipComponent,
  MarkLineComponent,
  CanvasRenderer,
]);

/** What a click on the map selects. */
export type Selection = { kind: 'report' | 'incident' | 'camera' | 'segment'; id: string };

const MAP_NAME = 'city';

/** The city map: administrative units from the reference data, roads by congestion, live markers on top. */
export class CityMap {
  private readonly chart: echarts.ECharts;

  constructor(
    element: HTMLElement,
    private readonly city: WallCity,
    onSelect: (selection: Selection) => void,
  ) {
    echarts.registerMap(MAP_NAME, city.units as never);
    this.chart = echarts.init(element, undefined, { renderer: 'canvas' });
    this.chart.on('click', (params) => {
      const id = (params.data as { id?: string } | undefined)?.id;
      const kind = SERIES_KIND[params.seriesId ?? ''];
      if (id !== undefined && kind !== undefined) onSelect({ kind, id });
    });
    new ResizeObserver(() => this.chart.resize()).observe(element);
  }

  render(store: WallStore, locale: Locale): void {
    const nameMap = Object.fromEntries(
      this.city.units.features.map((unit) => [
        unit.properties.name,
        nameIn(locale, unit.properties.names, unit.properties.name),
      ]),
    );
    const openIncidents = [...store.incidents.values()];
    this.chart.setOption(
      {
        backgroundColor: 'transparent',
        animation: false,
        tooltip: { trigger: 'item', confine: true },
        geo: {
          map: MAP_NAME,
          roam: true,
          nameMap,
          label: { show: true, color: 'rgba(227,237,245,0.45)', fontSize: 11 },
          itemStyle: { areaColor: '#162a3d', borderColor: '#3d5a78', borderWidth: 1 },
          emphasis: { itemStyle: { areaColor: '#1f3a55' }, label: { color: '#e3edf5' } },
          select: { disabled: true },
          tooltip: { show: false },
        },
        series: [
          {
            id: 'segments',
            type: 'lines',
            coordinateSystem: 'geo',
            polyline: true,
            zlevel: 1,
            lineStyle: { width: 5, opacity: 0.95, cap: 'round' },
            tooltip: { formatter: (p: { data: { label: string } }) => p.data.label },
            data: this.city.segments.map((segment) => ({
              id: segment.id,
              label: nameIn(locale, segment.names, segment.id),
              coords: segment.coordinates,
              lineStyle: { color: congestionColour(store.segments.get(segment.id)?.level) },
            })),
          },
          {
            id: 'cameras',
            type: 'scatter',
            coordinateSystem: 'geo',
            zlevel: 2,
            symbol: 'roundRect',
            symbolSize: 8,
            tooltip: { formatter: (p: { data: { label: string } }) => p.data.label },
            data: this.city.cameras.map((camera) => ({
              id: camera.id,
              label: nameIn(locale, camera.names, camera.id),
              value: [camera.location.lon, camera.location.lat],
              itemStyle: {
                color: cameraColour(store.cameras.get(camera.id)?.status),
                borderColor: '#0b1621',
                borderWidth: 1,
              },
            })),
          },
          {
            id: 'reports',
            type: 'scatter',
            coordinateSystem: 'geo',
            zlevel: 3,
            symbol: 'circle',
            symbolSize: 10,
            tooltip: { formatter: (p: { data: { label: string } }) => p.data.label },
            data: [...store.reports.values()].map((report) => ({
              id: report.reportId,
              label: report.trackingCode,
              value: [report.location.lon, report.location.lat],
              itemStyle: { color: reportColour(report), borderColor: '#0b1621', borderWidth: 1 },
            })),
          },
          {
            id: 'incidents',
            type: 'scatter',
            coordinateSystem: 'geo',
            zlevel: 4,
            symbol: 'diamond',
            tooltip: { formatter: (p: { data: { label: string } }) => p.data.label },
            data: openIncidents.map((incident) => ({
              id: incident.incidentId,
              label: incident.incidentId,
              value: [incident.location.lon, incident.location.lat],
              symbolSize: incidentSize(incident.severity),
              itemStyle: { color: incidentColour(incident), borderColor: '#ffffff', borderWidth: 1 },
            })),
          },
          {
            // A ripple under every incident that waits for an operator.
            id: 'attention',
            type: 'effectScatter',
            coordinateSystem: 'geo',
            zlevel: 3,
            silent: true,
            rippleEffect: { scale: 3, brushType: 'stroke' },
            data: openIncidents.filter(incidentNeedsAttention).map((incident) => ({
              value: [incident.location.lon, incident.location.lat],
              symbolSize: incidentSize(incident.severity),
              itemStyle: { color: incidentColour(incident) },
            })),
          },
        ],
      },
      { replaceMerge: ['series'] },
    );
  }
}

const SERIES_KIND: Record<string, Selection['kind']> = {
  segments: 'segment',
  cameras: 'camera',
  reports: 'report',
  incidents: 'incident',
};

/** A KPI sparkline: the last periods' values, the target as a dashed line. */
export class Sparkline {
  private readonly chart: echarts.ECharts;

  constructor(element: HTMLElement) {
    this.chart = echarts.init(element, undefined, { renderer: 'canvas' });
  }

  render(points: { periodStart: string; value: number }[], colour: string, target: number | undefined): void {
    this.chart.setOption({
      animation: false,
      grid: { left: 0, right: 0, top: 2, bottom: 2 },
      xAxis: { type: 'category', show: false, data: points.map((p) => p.periodStart) },
      yAxis: { type: 'value', show: false, scale: true },
      series: [
        {
          type: 'line',
          data: points.map((p) => p.value),
          symbol: 'none',
          lineStyle: { color: colour, width: 2 },
          areaStyle: { color: colour, opacity: 0.15 },
          markLine:
            target === undefined
              ? undefined
              : {
                  silent: true,
                  symbol: 'none',
                  label: { show: false },
                  lineStyle: { color: '#8aa2b8', type: 'dashed' },
                  data: [{ yAxis: target }],
                },
        },
      ],
    });
  }
}
