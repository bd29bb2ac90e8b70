import { SignalBuffer, type VerifySignal } from './verify-signals';

const logger = { warn: () => undefined } as never;
const signal = (n: number): VerifySignal => ({ at: n, code: 'VALID' });

describe('signal buffer', () => {
  it('flush() returns only after a batch already in flight has been consumed', async () => {
    const buf = new SignalBuffer(logger, { maxBuffered: 100, flushEveryMs: 1_000 });
    const seen: number[] = [];
    let release: () => void = () => undefined;
    buf.onBatch(async (batch) => {
      if (seen.length === 0) await new Promise<void>((r) => (release = r));
      for (const s of batch) seen.push(s.at);
    });
    buf.push(signal(1));
    const first = buf.flush(); // the timer's flush, say: still writing
    const second = buf.flush(); // a caller's flush with nothing new buffered
    let secondDone = false;
    void second.then(() => (secondDone = true));
    await new Promise((r) => setImmediate(r));
    expect(secondDone).toBe(false);
    release();
    await Promise.all([first, second]);
    expect(seen).toEqual([1]);
  });

  it('batches are consumed one at a time, in order', async () => {
    const buf = new SignalBuffer(logger, { maxBuffered: 100, flushEveryMs: 1_000 });
    const seen: number[] = [];
    let active = 0;
    buf.onBatch(async (batch) => {
      active++;
      expect(active).toBe(1);
      await new Promise((r) => setTimeout(r, 5));
      for (const s of batch) seen.push(s.at);
      active--;
    });
    const flushes: Promise<void>[] = [];
    for (let i = 0; i < 5; i++) {
      buf.push(signal(i));
      flushes.push(buf.flush());
    }
    await Promise.all(flushes);
    expect(seen).toEqual([0, 1, 2, 3, 4]);
  });
});
