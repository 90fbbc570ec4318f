import { checkedInSettings } from '@ioc/testing';
import { simulatorEnv } from './config';

describe('the simulator README', () => {
  it('lists every setting of config.ts with its default (npm run docs:settings rewrites it)', async () => {
    const { checkedIn, current } = await checkedInSettings('simulator', simulatorEnv);
    expect(checkedIn).toBe(current);
    // Formatting the table runs Prettier in a child process: seconds on a loaded machine.
  }, 30_000);
});
