import { UsageReporter } from './usage-reporter';

describe('usage reporter', () => {
  it('bounds its queue: overflow is dropped and counted', async () => {
    const r = new UsageReporter({ baseUrl: 'http://127.0.0.1:1', apiKey: 'lk', timeoutMs: 300, retries: 0 }, { maxQueue: 3, batchSize: 1_000, flushIntervalMs: 60_000 });
    for (let i = 0; i < 5; i++) r.report({ keyId: 'key_x', at: Date.now(), status: 200, latencyMs: 1 });
    expect(r.stats).toMatchObject({ queued: 3, dropped: 2 });
    await r.flush();
    // Unreachable: the batch went back to the queue to be sent later.
    expect(r.stats).toMatchObject({ queued: 3, failedBatches: 1 });
    await r.close();
  });
});
