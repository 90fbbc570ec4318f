import {
  cameraColour,
  congestionColour,
  incidentColour,
  incidentSize,
  kpiStatusColour,
  NO_DATA,
  reportColour,
  SCALES,
} from './colours';

describe('colour scales', () => {
  it('orders congestion from free to jammed with distinct colours', () => {
    const colours = (['free', 'slow', 'congested', 'jammed'] as const).map(congestionColour);
    expect(new Set(colours).size).toBe(4);
    expect(congestionColour(undefined)).toBe(NO_DATA);
  });

  it('grows incident markers with severity and greys out cleared ones', () => {
    const sizes = (['low', 'medium', 'high', 'critical'] as const).map(incidentSize);
    expect([...sizes].sort((a, b) => a - b)).toEqual(sizes);
    expect(incidentColour({ severity: 'critical', status: 'open' })).toBe(SCALES.severity.critical);
    expect(incidentColour({ severity: 'critical', status: 'cleared' })).toBe(NO_DATA);
  });

  it('draws an overdue open report red, and a resolved one by its status', () => {
    expect(reportColour({ status: 'assigned', overdue: true })).toBe('#e53935');
    expect(reportColour({ status: 'resolved', overdue: true })).not.toBe('#e53935');
    expect(reportColour({ status: 'submitted', overdue: false })).not.toBe(
      reportColour({ status: 'assigned', overdue: false }),
    );
  });

  it('colours KPI status and camera status, grey when unknown', () => {
    expect(kpiStatusColour('on-track')).toBe(SCALES.kpi['on-track']);
    expect(kpiStatusColour(undefined)).toBe(NO_DATA);
    expect(cameraColour('offline')).toBe(SCALES.camera.offline);
    expect(cameraColour(undefined)).toBe(NO_DATA);
  });

  it('uses only hex colours (the page draws them on canvas and in CSS custom properties)', () => {
    for (const scale of Object.values(SCALES)) {
      for (const colour of Object.values(scale)) expect(colour).toMatch(/^#[0-9a-f]{6}$/);
    }
  });
});
