import { checkedInSettings } from '@ioc/testing';
import { reportsEnv } from './config';

describe('the reports README', () => {
  it('lists every setting of config.ts with its default (npm run docs:settings rewrites it)', async () => {
    const { checkedIn, current } = await checkedInSettings('reports', reportsEnv);
    expect(checkedIn).toBe(current);
    // Formatting the table runs Prettier in a child process: seconds on a loaded machine.
  }, 30_000);
});
