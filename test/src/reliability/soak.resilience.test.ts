import { describeSoak, runSoak } from './soak';

const MINUTES = Number(process.env.SOAK_MINUTES) || 10;

/**
 * Reliability case 15 (npm run test:resilience): 10 minutes of verify + management traffic
 * against an API process, RSS and heap sampled every 2 s. Bounds (docs/RELIABILITY.md),
 * after a 2-minute warm-up, on the floors of 60 s windows: no 5xx; heap — the upper end of
 * the 95 % confidence bound of its fitted trend below 4 MB/min (a leak that fast fails even
 * through the noise of 8 windows) and its last floor within 25 MB of the first; RSS — last
 * floor within 50 MB of the first, trend bound below 20 MB/min (RSS plateaus, see docs).
 */
describe(`soak (${MINUTES} minutes)`, () => {
  it('serves sustained traffic with no memory growth trend beyond the bounds', async () => {
    const r = await runSoak({ durationMs: MINUTES * 60_000, warmupMs: Math.min(120_000, MINUTES * 12_000), sampleEveryMs: 2_000, windowMs: 60_000 });
    process.stdout.write(`${describeSoak(r)}\n`);
    expect(r.statuses['5xx'] ?? 0).toBe(0);
    // The heap is where a leak of JS objects shows: tight bounds.
    expect(r.heapMb.fit.slopeUpper95).toBeLessThan(4);
    expect(r.heapMb.floorLast - r.heapMb.floorFirst).toBeLessThan(25);
    // RSS climbs to a plateau as the allocator keeps pages, which a straight line reads as
    // a trend: the net growth is bounded tightly, the trend loosely.
    expect(r.rssMb.floorLast - r.rssMb.floorFirst).toBeLessThan(50);
    expect(r.rssMb.fit.slopeUpper95).toBeLessThan(20);
  }, MINUTES * 60_000 + 180_000);
});
