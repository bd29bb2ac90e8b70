import fc from 'fast-check';
import { RateLimiter, WINDOWS, type KeyLimits, type WindowName } from '@latchkey/server';
import { limiterFixture } from './fixture';

const fx = limiterFixture('rlm');
fx.node();
afterAll(() => fx.close());

/** The specification: a request counts until its bucket is `buckets` buckets old. */
class Model {
  private log: Array<{ at: number; cost: number }> = [];
  constructor(private readonly windows: Array<[WindowName, number]>) {}
  used(w: WindowName, now: number): number {
    const g = WINDOWS[w].ms / WINDOWS[w].buckets;
    const cur = Math.floor(now / g);
    return this.log.filter((e) => Math.floor(e.at / g) > cur - WINDOWS[w].buckets).reduce((s, e) => s + e.cost, 0);
  }
  check(now: number, cost: number): boolean {
    const ok = this.windows.every(([w, limit]) => this.used(w, now) + cost <= limit);
    if (ok) this.log.push({ at: now, cost });
    return ok;
  }
}

const WINDOW_LIMITS: Array<[WindowName, number]> = [['second', 6], ['minute', 15], ['hour', 40], ['day', 70]];
const limits: KeyLimits = { perSecond: 6, perMinute: 15, perHour: 40, perDay: 70 };
const STEPS = [0, 0, 30, 99, 100, 450, 1_000, 3_000, 20_000, 59_000, 61_000, 1_800_000, 3_700_000, 40_000_000, 90_000_000];

describe('sliding windows against a reference model', () => {
  it('admit exactly what the bucketed sliding-window model admits, across idle gaps of any length', async () => {
    const redis = fx.redis();
    // The real check-4.lua on a clock the test sets, so hours and days of sliding-window
    // behaviour (bucket pruning after idle gaps) run in milliseconds.
    let now = 0;
    const limiter = new RateLimiter(redis, fx.prefix, { clock: () => now });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ dt: fc.constantFrom(...STEPS), cost: fc.integer({ min: 1, max: 4 }) }), { minLength: 1, maxLength: 120 }),
        async (steps) => {
          const keyId = `key_model${++run}`;
          const model = new Model(WINDOW_LIMITS);
          now = 1_700_000_000_000;
          for (const { dt, cost } of steps) {
            now += dt;
            const r = await limiter.check(keyId, limits, { cost });
            const expected = model.check(now, cost);
            expect({ now, allowed: r.allowed }).toEqual({ now, allowed: expected });
            for (const [i, [w, limit]] of WINDOW_LIMITS.entries()) {
              expect({ w, remaining: r.policies[i].remaining }).toEqual({ w, remaining: Math.max(0, limit - model.used(w, now)) });
            }
            if (!r.allowed) {
              // Every cost here fits every limit, so waiting always helps: the denial names a
              // window that is over, and retryAfterMs is the first moment the slowest of those
              // has room again (so every window has room then).
              const over = WINDOW_LIMITS.filter(([w, limit]) => model.used(w, now) + cost > limit);
              expect(over.map(([w]) => w)).toContain(r.window);
              expect(r.retryAfterMs).toBeGreaterThan(0);
              const later = now + (r.retryAfterMs as number);
              for (const [w, limit] of over) expect({ w, fits: model.used(w, later) + cost <= limit }).toEqual({ w, fits: true });
              const [w, limit] = over.find(([x]) => x === r.window) as [WindowName, number];
              expect(model.used(w, later - 1) + cost).toBeGreaterThan(limit);
            }
          }
          // Finished buckets are fields `<tag>:<index>`; none may outlive its window.
          for (const f of await redis.hkeys(`${fx.prefix}:{${keyId}}:rl`)) {
            const [tag, idx] = f.split(':');
            if (idx === undefined) continue; // a window's packed state
            const w = (Object.keys(WINDOWS) as WindowName[]).find((k) => WINDOWS[k].letter === tag) as WindowName;
            const g = WINDOWS[w].ms / WINDOWS[w].buckets;
            expect({ f, live: Number(idx) > Math.floor(now / g) - WINDOWS[w].buckets }).toEqual({ f, live: true });
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
