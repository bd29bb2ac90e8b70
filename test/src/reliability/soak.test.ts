import { describeSoak, runSoak } from './soak';

/**
 * Reliability case 15, smoke version (npm test): 45 s of verify + management traffic
 * against an API process, RSS and heap sampled every second. Too short to prove the
 * absence of a slow leak (that is soak.resilience.test.ts, 10 minutes); it catches a
 * runaway one. Over 30 s the heap's collection sawtooth swamps any slope, so the
 * smoke bounds levels only (docs/RELIABILITY.md): no 5xx, heap used below 350 MB and RSS
 * below 500 MB throughout.
 */
describe('soak (smoke, 45 s)', () => {
  it('serves sustained traffic without errors or fast memory growth', async () => {
    const r = await runSoak({ durationMs: 45_000, warmupMs: 15_000, sampleEveryMs: 1_000, windowMs: 5_000 });
    process.stdout.write(`${describeSoak(r)}\n`);
    expect(r.statuses['5xx'] ?? 0).toBe(0);
    expect(r.verify.requests).toBeGreaterThan(500);
    expect(r.management.codes.OK ?? 0).toBeGreaterThan(20);
    expect(r.heapMb.max).toBeLessThan(350);
    expect(r.rssMb.max).toBeLessThan(500);
  }, 150_000);
});
