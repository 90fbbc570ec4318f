import { checkedInSettings } from '@ioc/testing';
import { kpiEnv } from './config';

describe('the kpi README', () => {
  it('lists every setting of config.ts with its default (npm run docs:settings rewrites it)', async () => {
    const { checkedIn, current } = await checkedInSettings('kpi', kpiEnv);
    expect(checkedIn).toBe(current);
    // Formatting the table runs Prettier in a child process: seconds on a loaded machine.
  }, 30_000);
});
