import { describeSummary, runFuzz, startFuzzTarget, type FuzzTarget } from './fuzz-runner';

/**
 * Security case 1, full run (npm run test:resilience): 10,000 property-generated
 * operations, 16 in flight. Same pass criteria as the fast 2,000-operation run.
 */
describe('GraphQL input fuzzing (10,000 operations)', () => {
  let t: FuzzTarget;
  beforeAll(async () => {
    t = await startFuzzTarget();
  }, 60_000);
  afterAll(() => t?.stop());

  it('answers every generated operation without a 5xx, an internal error or a leak', async () => {
    const s = await runFuzz(t, Number(process.env.FUZZ_RUNS) || 10_000, { concurrency: 16 });
    process.stdout.write(`${describeSummary(s)}\n`);
    expect(s.operations).toBeGreaterThanOrEqual(10_000);
    expect(s.failures.slice(0, 5)).toEqual([]);
    expect(s.errorLogs.slice(0, 3)).toEqual([]);
    expect(s.fieldsCovered).toBeGreaterThan(40);
  }, 900_000);
});
