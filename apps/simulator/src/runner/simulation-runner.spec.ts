import type { Action } from '../scenario/actions';
import { type ActionSource, type RealTime, SimulationRunner } from './simulation-runner';

/** A clock that jumps to the end of every sleep: a scenario runs without waiting. */
function fakeTime(): RealTime & { slept: number } {
  let now = 1_000_000;
  const time = {
    slept: 0,
    now: () => now,
    sleep: async (ms: number) => {
      now += ms;
      time.slept += ms;
    },
  };
  return time;
}

function source(times: readonly number[]): ActionSource {
  const queue = times.map((at): Action => ({ kind: 'citizen.confirm', at, ref: `r${at}` }));
  return { next: () => queue.shift() as Action, peekTime: () => queue[0]?.at ?? Infinity };
}

describe(SimulationRunner.name, () => {
  it('performs each action at its scenario time compressed by the speed, then drains', async () => {
    const time = fakeTime();
    const start = time.now();
    const performedAt: number[] = [];
    let drained = false;
    const sut = new SimulationRunner(
      source([60_000, 120_000, 600_000, 7_200_000]),
      {
        perform: async (_action, now) => void performedAt.push(now.getTime() - start),
        drain: async () => void (drained = true),
      },
      { speed: 60, startAt: 0, endAt: 3_600_000, maxInFlight: 4 },
      time,
    );
    await sut.run();
    expect(performedAt).toEqual([1_000, 2_000, 10_000]);
    expect(drained).toBe(true);
    expect(sut.status()).toMatchObject({ running: false, performed: 3, scenarioTime: 600_000 });
  });

  it('stops on request, waits for the requests still out, and performs nothing after', async () => {
    const time = fakeTime();
    let release: () => void = () => undefined;
    const out = new Promise<void>((resolve) => (release = resolve));
    let performed = 0;
    let answered = false;
    const sut = new SimulationRunner(
      source([0, 0, 1_000, 2_000]),
      {
        perform: async () => {
          performed++;
          await out;
          answered = true;
        },
        drain: async () => undefined,
      },
      { speed: 1, startAt: 0, maxInFlight: 2 },
      time,
    );
    const running = sut.run();
    await new Promise((resolve) => setImmediate(resolve));
    const stopping = sut.stop();
    release();
    await stopping;
    await running;
    expect(performed).toBe(2);
    expect(answered).toBe(true);
  });
});
