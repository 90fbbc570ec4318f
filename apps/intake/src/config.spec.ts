import { ConfigError, loadConfig } from '@ioc/observability';
import { intakeEnv } from './config';

const base = { DATABASE_URL: 'postgres://localhost/db', KAFKA_BROKERS: '127.0.0.1:9092' };

describe('intakeEnv', () => {
  it('parses durations and severity rules, with defaults', () => {
    const sut = loadConfig(intakeEnv, {
      ...base,
      INTAKE_INCIDENT_QUIET_PERIOD: '2m',
      INTAKE_INCIDENT_SEVERITY_RULES: JSON.stringify([{ severity: 'high', classes: ['crowd'], minCount: 3 }]),
    });

    expect(sut.INTAKE_INCIDENT_QUIET_PERIOD).toBe(120_000);
    expect(sut.INTAKE_INCIDENT_SEVERITY_RULES).toEqual([
      { severity: 'high', classes: ['crowd'], minCount: 3 },
    ]);
    expect(sut.INTAKE_CAMERA_OFFLINE_AFTER).toBe(120_000);
  });

  it.each([
    ['INTAKE_INCIDENT_SEVERITY_RULES', 'not json'],
    ['INTAKE_INCIDENT_SEVERITY_RULES', JSON.stringify([{ severity: 'extreme' }])],
    ['INTAKE_INCIDENT_SEVERITY_RULES', JSON.stringify([{ severity: 'low', unknown: 1 }])],
    ['INTAKE_DETECTION_CONFIDENCE_FLOOR', '1.5'],
    ['INTAKE_INCIDENT_CORRELATION_WINDOW', 'soon'],
    ['INTAKE_TRAFFIC_JAMMED_RATIO', '0.9'],
    ['INTAKE_PARTITION_CONCURRENCY', '20'],
  ])('stops on a bad %s, naming it', (name, value) => {
    const attempt = () => loadConfig(intakeEnv, { ...base, [name]: value });

    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(name === 'INTAKE_TRAFFIC_JAMMED_RATIO' ? 'INTAKE_TRAFFIC_SLOW_RATIO' : name);
  });
});
