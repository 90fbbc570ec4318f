import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ServiceUnavailableError } from '../errors/ioc-error';
import { HealthController } from './health.controller';
import { HealthModule } from './health.module';

@Injectable()
class FakeBroker {
  up = true;
  async ping(): Promise<void> {
    if (!this.up) throw new Error('no broker available');
  }
}

@Module({ providers: [FakeBroker], exports: [FakeBroker] })
class BrokerModule {}

describe(HealthController.name, () => {
  async function setup() {
    const moduleRef = await Test.createTestingModule({
      imports: [
        HealthModule.forRootAsync({
          imports: [BrokerModule],
          inject: [FakeBroker],
          useFactory: (broker: FakeBroker) => ({
            timeoutMs: 50,
            checks: [
              { name: 'kafka', check: () => broker.ping() },
              { name: 'slow', check: () => new Promise<void>(() => undefined), timeoutMs: 10 },
            ],
          }),
        }),
      ],
    }).compile();
    return { sut: moduleRef.get(HealthController), broker: moduleRef.get(FakeBroker) };
  }

  it('is live without running any readiness check', async () => {
    const { sut, broker } = await setup();
    broker.up = false;

    await expect(sut.live()).resolves.toMatchObject({ status: 'ok' });
  });

  it('names every failed check, including one that timed out', async () => {
    const { sut, broker } = await setup();
    broker.up = false;

    const error = await sut.ready().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error).toMatchObject({
      code: 'HEALTH.NOT_READY',
      message: 'Not ready: kafka, slow',
      details: {
        failed: ['kafka', 'slow'],
        checks: {
          kafka: { status: 'down', message: 'no broker available' },
          slow: { status: 'down', message: 'no answer within 10 ms' },
        },
      },
    });
  });
});
