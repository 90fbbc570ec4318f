import { PeriodicTask } from './periodic-task';

describe(PeriodicTask.name, () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs the task every interval, never two runs at once', async () => {
    let release: () => void = () => undefined;
    const task = jest.fn(() => new Promise<void>((resolve) => (release = resolve)));
    const sut = new PeriodicTask(100, task, jest.fn());

    sut.start();
    await jest.advanceTimersByTimeAsync(350);
    expect(task).toHaveBeenCalledTimes(1);

    release();
    await jest.advanceTimersByTimeAsync(100);
    expect(task).toHaveBeenCalledTimes(2);
    release();
    await sut.stop();
  });

  it('reports a failure and tries again at the next tick', async () => {
    const onError = jest.fn();
    const task = jest.fn().mockRejectedValueOnce(new Error('db down')).mockResolvedValue(undefined);
    const sut = new PeriodicTask(100, task, onError);

    sut.start();
    await jest.advanceTimersByTimeAsync(200);
    await sut.stop();

    expect(onError).toHaveBeenCalledWith(expect.any(Error));
    expect(task).toHaveBeenCalledTimes(2);
  });

  it('runs at once when asked to, then every interval', async () => {
    const task = jest.fn().mockResolvedValue(undefined);
    const sut = new PeriodicTask(100, task, jest.fn(), { runAtStart: true });

    sut.start();
    await jest.advanceTimersByTimeAsync(0);
    expect(task).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(100);
    expect(task).toHaveBeenCalledTimes(2);
    await sut.stop();
  });

  it('waits for the run in flight on stop and runs no more', async () => {
    let finished = false;
    const task = jest.fn(async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      finished = true;
    });
    const sut = new PeriodicTask(100, task, jest.fn());

    sut.start();
    await jest.advanceTimersByTimeAsync(100);
    const stopped = sut.stop();
    await jest.advanceTimersByTimeAsync(500);
    await stopped;

    expect(finished).toBe(true);
    expect(task).toHaveBeenCalledTimes(1);
  });
});
