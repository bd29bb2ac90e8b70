import { describeSummary, runFuzz, startFuzzTarget, type FuzzTarget } from './fuzz-runner';

/**
 * Security case 1, fast part: 2,000 property-generated operations over every root field
 * of the introspected schema (the 10,000+ run is graphql-fuzz.resilience.test.ts).
 * Pass: zero 5xx, zero INTERNAL_SERVER_ERROR, zero stack traces or internal messages in
 * any response, zero error-level log lines.
 */
describe('GraphQL input fuzzing (2,000 operations)', () => {
  let t: FuzzTarget;
  beforeAll(async () => {
    t = await startFuzzTarget();
  }, 60_000);
  afterAll(() => t?.stop());

  it('answers every generated operation without a 5xx, an internal error or a leak', async () => {
    const s = await runFuzz(t, Number(process.env.FUZZ_RUNS) || 2_000);
    process.stdout.write(`${describeSummary(s)}\n`);
    expect(s.failures.slice(0, 5)).toEqual([]);
    expect(s.errorLogs.slice(0, 3)).toEqual([]);
    // The run means something only if it reached most of the schema and real resolvers.
    expect(s.fieldsCovered).toBeGreaterThan(40);
    expect(s.byCode.OK ?? 0).toBeGreaterThan(0);
  }, 240_000);
});
