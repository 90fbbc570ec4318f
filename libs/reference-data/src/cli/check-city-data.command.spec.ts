import { cp, mkdtemp, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHECK_USAGE, checkCityDataCommand } from './check-city-data.command';

const HAI_PHONG = join(__dirname, '../../../../data/cities/hai-phong');

describe(checkCityDataCommand.name, () => {
  const sut = checkCityDataCommand;
  let lines: string[];
  const print = (line: string) => lines.push(line);
  beforeEach(() => {
    lines = [];
  });

  it('summarizes a valid folder and exits 0', async () => {
    await expect(sut([HAI_PHONG], print)).resolves.toBe(0);
    expect(lines.join('\n')).toMatch(/hai-phong \(Hải Phòng City, Asia\/Ho_Chi_Minh\) is valid/);
    expect(lines.join('\n')).toMatch(/administrative units \(pre-2025: \d+, 2025: \d+\)/);
  });

  it('lists every problem of an invalid folder and exits 1', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ioc-check-city-'));
    try {
      await cp(HAI_PHONG, dir, { recursive: true });
      await unlink(join(dir, 'kpis.json'));
      await expect(sut([dir], print)).resolves.toBe(1);
      expect(lines).toEqual([`${dir}: 1 problem(s)`, '  FILE_MISSING  kpis.json: file not found']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.each([[[]], [['a', 'b']], [['--help']]])('prints usage for %j and exits 2', async (args) => {
    await expect(sut(args, print)).resolves.toBe(2);
    expect(lines).toEqual([CHECK_USAGE]);
  });
});
