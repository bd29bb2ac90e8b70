/**
 * A closed-loop load generator: `concurrency` loops call `op` back to back until
 * stop() or `durationMs`, so load always stops by itself. Every call is recorded with
 * its start time relative to the run, so a test can cut the record into phases
 * (before / during / after a fault) and per-second buckets.
 */
export interface Sample {
  /** ms since the load started */
  at: number;
  ms: number;
  status: number;
  code: string;
}

export interface Load {
  samples: Sample[];
  readonly startedAt: number;
  stop(): Promise<void>;
  done: Promise<void>;
}

export function startLoad(op: () => Promise<{ status: number; code: string }>, opts: { concurrency: number; durationMs: number }): Load {
  const samples: Sample[] = [];
  const startedAt = Date.now();
  let stopping = false;
  const loop = async () => {
    while (!stopping && Date.now() - startedAt < opts.durationMs) {
      const t0 = Date.now();
      let r: { status: number; code: string };
      try {
        r = await op();
      } catch (e) {
        r = { status: 0, code: `ERR ${(e as Error).message.slice(0, 60)}` };
      }
      samples.push({ at: t0 - startedAt, ms: Date.now() - t0, ...r });
    }
  };
  const done = Promise.all(Array.from({ length: opts.concurrency }, loop)).then(() => undefined);
  return {
    samples,
    startedAt,
    done,
    async stop() {
      stopping = true;
      await done;
    },
  };
}

/** Counts of `key(sample)` among samples with `from <= at < to`. */
export function tally(samples: readonly Sample[], from: number, to: number, key: (s: Sample) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of samples) if (s.at >= from && s.at < to) out[key(s)] = (out[key(s)] ?? 0) + 1;
  return out;
}

/** One line per second: "t=3s 200:VALID×41 503:…". */
export function timeline(samples: readonly Sample[], seconds: number): string {
  const lines: string[] = [];
  for (let s = 0; s < seconds; s++) {
    const t = tally(samples, s * 1000, (s + 1) * 1000, (x) => `${x.status}:${x.code}`);
    lines.push(`t=${s}s ${Object.entries(t).map(([k, v]) => `${k}×${v}`).join(' ')}`);
  }
  return lines.join('\n');
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `fn` is truthy; returns how long it took (ms). */
export async function until(fn: () => Promise<boolean>, timeoutMs: number, everyMs = 50): Promise<number> {
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    if (await fn().catch(() => false)) return Date.now() - t0;
    await sleep(everyMs);
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}
