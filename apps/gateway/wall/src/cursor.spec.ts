import { CursorBook } from './cursor';

describe(CursorBook.name, () => {
  it('subscribes from a snapshot first, then resumes from the last cursor', () => {
    const sut = new CursorBook();
    expect(sut.subscription({ streams: ['kpi'] })).toEqual({ streams: ['kpi'] });
    sut.snapshotAt('s.1');
    expect(sut.subscription()).toEqual({ resumeFrom: 's.1' });
    sut.accept('e1');
    sut.advance('c.2');
    expect(sut.subscription({ streams: ['kpi'] })).toEqual({ streams: ['kpi'], resumeFrom: 'c.2' });
  });

  it('accepts an event once, however often it is delivered, and still advances the cursor', () => {
    const sut = new CursorBook();
    expect(sut.accept('e1')).toBe(true);
    sut.advance('c.1');
    expect(sut.accept('e1')).toBe(false);
    sut.advance('c.2');
    expect(sut.current).toBe('c.2');
  });

  it('forgets the oldest ids beyond its capacity', () => {
    const sut = new CursorBook(2);
    for (const id of ['e1', 'e2', 'e3']) sut.accept(id);
    expect(sut.accept('e2')).toBe(false);
    expect(sut.accept('e1')).toBe(true);
  });

  it('starts over from a snapshot after a reset', () => {
    const sut = new CursorBook();
    sut.accept('e1');
    sut.advance('c.1');
    sut.reset();
    expect(sut.subscription()).toEqual({});
  });

  it('never sends back a cursor the contract would refuse', () => {
    const sut = new CursorBook();
    sut.advance('c.1');
    sut.advance('<script>');
    expect(sut.current).toBe('c.1');
    sut.snapshotAt('x'.repeat(5000));
    expect(sut.subscription()).toEqual({});
  });
});
