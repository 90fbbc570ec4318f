import { CursorBook } from './cursor';

describe(CursorBook.name, () => {
  it('subscribes from a snapshot first, then resumes from the last cursor', () => {
    const sut = new CursorBook();
    expect(sut.subscription({ streams: ['kpi'] })).toEqual({ streams: ['kpi'] });
    sut.snapshotAt('s.1');
    expect(sut.subscription()).toEqual({ resumeFrom: 's.1' });
    sut.accept('e1', 'c.2');
    expect(sut.subscription({ streams: ['kpi'] })).toEqual({ streams: ['kpi'], resumeFrom: 'c.2' });
  });

  it('accepts an event once, however often it is delivered, and still advances the cursor', () => {
    const sut = new CursorBook();
    expect(sut.accept('e1', 'c.1')).toBe(true);
    expect(sut.accept('e1', 'c.2')).toBe(false);
    expect(sut.current).toBe('c.2');
  });

  it('forgets the oldest ids beyond its capacity', () => {
    const sut = new CursorBook(2);
    sut.accept('e1', 'c.1');
    sut.accept('e2', 'c.2');
    sut.accept('e3', 'c.3');
    expect(sut.accept('e2', 'c.4')).toBe(false);
    expect(sut.accept('e1', 'c.5')).toBe(true);
  });

  it('starts over from a snapshot after a reset', () => {
    const sut = new CursorBook();
    sut.accept('e1', 'c.1');
    sut.reset();
    expect(sut.subscription()).toEqual({});
  });

  it('never sends back a cursor the contract would refuse', () => {
    const sut = new CursorBook();
    sut.accept('e1', '<script>');
    sut.snapshotAt('x'.repeat(5000));
    expect(sut.subscription()).toEqual({});
  });
});
