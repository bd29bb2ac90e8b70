// `npm run bench`: the verify path measured in one run against a bare-Node baseline
// (ISSUE 5). Servers run pinned to core 0, this process (load generator) to core 1.
// Writes bench/results/verify-<time>.json and the table in docs/PERFORMANCE.md.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { ROOT, gql, load, percentile, postJson, startPinned } from './lib.mjs';
import { seedKeys } from './seed.mjs';
import { limiterBench } from './limiter.mjs';
import { topFunctions } from './profile-summary.mjs';
import { writeReport } from './report.mjs';

const require = createRequire(import.meta.url);
const mongoose = require('mongoose');

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
// FerretDB scans whole collections on lookups (docs/PERFORMANCE.md), so seeding and cold
// lookups at a million keys take very long on the embedded store; 100k is the default.
const LARGE = Number(process.env.BENCH_LARGE_KEYS ?? 100_000);
const SMALL = 10_000;
const WARM_SET = Number(process.env.BENCH_WARM_KEYS ?? 200);
const PEPPER = 'bench-pepper-0123456789abcdefghijklmnopqrstuvwxyz';
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const db = `bench_${Date.now().toString(36)}`;
const prefix = `bench${Date.now().toString(36)}`;
const apiEnv = {
  NODE_ENV: 'production',
  MONGODB_DB: db,
  REDIS_PREFIX: prefix,
  LOG_LEVEL: 'warn',
  LATCHKEY_KEY_PEPPER: PEPPER,
  LATCHKEY_KEK: Buffer.alloc(32, 7).toString('base64'),
  LATCHKEY_ADMIN_EMAIL: 'bench@example.test',
  LATCHKEY_ADMIN_PASSWORD: 'bench password that is long 42',
};
const results = { startedAt: new Date().toISOString(), durationSeconds: DURATION, machine: { cores: (await import('node:os')).cpus().length }, runs: {} };
const log = (m) => process.stdout.write(`[bench] ${m}\n`);
// A phase that stops making progress ends the run with its name instead of hanging CI.
const WATCHDOG_MS = Number(process.env.BENCH_WATCHDOG_MINUTES ?? 40) * 60_000;
setTimeout(() => {
  log(`watchdog: no result after ${WATCHDOG_MS / 60_000} min; partial results: ${JSON.stringify(results.runs)}`);
  process.exit(2);
}, WATCHDOG_MS).unref();
// BENCH_ONLY=warm,limiter … runs some phases (for iterating on one figure); such a
// partial run writes its JSON but leaves docs/PERFORMANCE.md alone.
const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',')) : null;
const want = (phase) => !ONLY || ONLY.has(phase);
const bodiesFor = (keys) => keys.map((key) => JSON.stringify({ key }));

// 1. Baseline: bare Node HTTP, same JSON shape.
const bare = await startPinned('test/bench/bare-server.mjs');
const someKey = JSON.stringify({ key: 'lk_prd_0000000000000000000000000000000000000000000000' });
await load({ url: bare.url, bodies: [someKey], duration: 2 });
results.runs.bareNode = await load({ url: bare.url, bodies: [someKey], duration: DURATION });
await bare.stop();
log(`bare node: ${results.runs.bareNode.rps} req/s`);

// 2. The API, seeded.
const profileDir = join(ROOT, 'bench', 'results', `profile-${stamp}`);
const profile = process.env.BENCH_PROFILE === '1';
let api = await startPinned('server/dist/main.js', { env: apiEnv, args: profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [] });
const { login } = await gql(api.url, 'mutation($e:String!,$p:String!){ login(email:$e,password:$p){ token user { id } } }', {
  e: apiEnv.LATCHKEY_ADMIN_EMAIL,
  p: apiEnv.LATCHKEY_ADMIN_PASSWORD,
});
const token = login.token;
const { organization } = await gql(api.url, '{ organization { id } }', {}, token);
const { createApplication } = await gql(api.url, 'mutation{ createApplication(input:{name:"bench"}){ id } }', {}, token);
const { createApiKey } = await gql(
  api.url,
  'mutation($i: CreateApiKeyInput!){ createApiKey(input:$i){ secret } }',
  {
    i: {
      name: 'verifier',
      type: 'application',
      subtype: 'service',
      applicationId: createApplication.id,
      permissionLevel: 'custom',
      scopes: ['keys:verify'],
      rateLimit: { perSecond: 1000000, perMinute: 10000000 },
    },
  },
  token,
);
const auth = { authorization: `Bearer ${createApiKey.secret}` };
const conn = await mongoose.createConnection(process.env.MONGODB_URI, { dbName: db }).asPromise();
const seedOpts = { orgId: organization.id, applicationId: createApplication.id, createdBy: login.user.id, pepper: PEPPER };
let t = Date.now();
const smallKeys = await seedKeys(conn.db, { ...seedOpts, count: SMALL, keep: SMALL });
log(`seeded ${SMALL} keys in ${Date.now() - t} ms`);

// Warm: every limit of the key (4 sliding windows + burst) is checked in Redis. Each
// key is verified once first, so the run measures the cached path only.
const warmKeys = smallKeys.slice(0, WARM_SET);
const warmBodies = bodiesFor(warmKeys);
results.coldLookupMs = {};
results.rssMb = {};
if (want('warm')) {
  results.coldLookupMs.keys10k = await coldLookups(api.url, warmKeys);
  await load({ url: api.url, headers: auth, bodies: warmBodies, duration: 3 });
  results.runs.verifyWarm = await load({ url: api.url, headers: auth, bodies: warmBodies, duration: DURATION });
  log(`verify warm: ${results.runs.verifyWarm.rps} req/s`);
  results.runs.verifyWarmHalfRate = await load({ url: api.url, headers: auth, bodies: warmBodies, duration: DURATION, overallRate: Math.round(results.runs.verifyWarm.rps / 2) });
  log(`verify at half rate: p50 ${results.runs.verifyWarmHalfRate.p50Ms} ms, p99 ${results.runs.verifyWarmHalfRate.p99Ms} ms`);
  // The load generator's own latency floor in rate mode: the bare server at the same rate
  // (autocannon paces requests in bursts, which shows in p99 even against bare Node).
  {
    const floor = await startPinned('test/bench/bare-server.mjs');
    await load({ url: floor.url, bodies: [someKey], duration: 2 }); // JIT warm-up, like the baseline
    results.runs.bareAtHalfRate = await load({ url: floor.url, bodies: [someKey], duration: DURATION, overallRate: results.runs.verifyWarmHalfRate.rps });
    await floor.stop();
    log(`bare node at the same rate: p50 ${results.runs.bareAtHalfRate.p50Ms} ms, p99 ${results.runs.bareAtHalfRate.p99Ms} ms`);
  }

  results.runs.verify10kKeys = results.runs.verifyWarm;

  const gqlBodies = warmKeys.map((key) => JSON.stringify({ query: 'mutation($i: VerifyApiKeyInput!){ verifyApiKey(input:$i){ valid code } }', variables: { i: { key } } }));
  await load({ url: api.url, path: '/graphql', headers: auth, bodies: gqlBodies, duration: 2 });
  results.runs.graphqlVerifyApiKey = await load({ url: api.url, path: '/graphql', headers: auth, bodies: gqlBodies, duration: DURATION });
  log(`graphql verifyApiKey: ${results.runs.graphqlVerifyApiKey.rps} req/s`);
  results.rssMb.afterWarmRuns = api.rssMb();
}

await api.stop();
if (profile) {
  const file = existsSync(profileDir) ? readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile')) : undefined;
  if (file) results.profileTop = topFunctions(join(profileDir, file));
}

// 3. Cold cache: every request reads MongoDB.
if (want('cold')) {
  api = await startPinned('server/dist/main.js', { env: { ...apiEnv, VERIFY_CACHE_TTL_MS: '0' } });
  results.runs.verifyCold = await load({ url: api.url, headers: auth, bodies: bodiesFor(smallKeys), duration: DURATION });
  log(`verify cold: ${results.runs.verifyCold.rps} req/s`);
  await api.stop();
}

// 4. The limiter alone vs rate-limiter-flexible on the same Redis.
if (want('limiter')) {
  results.runs.limiter = await limiterBench(process.env.REDIS_URL, prefix);
  log(`limiter: ${JSON.stringify(results.runs.limiter)}`);
}

// 5. Revocation propagation across two nodes.
if (want('nodes')) {
  const a = await startPinned('server/dist/main.js', { env: apiEnv });
  const b = await startPinned('server/dist/main.js', { env: apiEnv });
  const delays = [];
  for (let i = 0; i < 30; i++) {
    const k = await gql(
      a.url,
      'mutation($i: CreateApiKeyInput!){ createApiKey(input:$i){ apiKey { id } secret } }',
      { i: { name: `rev-${i}`, type: 'application', subtype: 'service', applicationId: createApplication.id, permissionLevel: 'custom', scopes: ['applications:read'] } },
      token,
    );
    const body = JSON.stringify({ key: k.createApiKey.secret });
    const verifyB = () => postJson(`${b.url}/v1/keys/verify`, body, auth);
    await verifyB();
    await gql(a.url, 'mutation($id: ID!){ revokeApiKey(id:$id, reason:"bench"){ id } }', { id: k.createApiKey.apiKey.id }, token);
    const t0 = performance.now();
    while ((await verifyB()).code !== 'REVOKED' && performance.now() - t0 < 5_000);
    delays.push(performance.now() - t0);
  }
  // Alert latency: a violating request on node A → an alertRaised subscriber on node B.
  {
    const { createClient } = require('graphql-ws');
    const WebSocket = require('ws');
    const client = createClient({
      url: b.url.replace('http', 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 0,
    });
    const arrivals = [];
    const waiters = [];
    const dispose = client.subscribe({ query: 'subscription{ alertRaised { alertId type } }' }, {
      next: () => (waiters.shift() ?? ((t) => arrivals.push(t)))(performance.now()),
      error: () => undefined,
      complete: () => undefined,
    });
    await new Promise((r) => setTimeout(r, 500));
    const k = await gql(
      a.url,
      'mutation($i: CreateApiKeyInput!){ createApiKey(input:$i){ secret } }',
      { i: { name: 'alerts', type: 'application', subtype: 'service', applicationId: createApplication.id, permissionLevel: 'custom', scopes: ['applications:read'] } },
      token,
    );
    const verifyA = (ip) => postJson(`${a.url}/v1/keys/verify`, JSON.stringify({ key: k.createApiKey.secret, ip }), auth);
    await verifyA('10.0.1.1');
    await new Promise((r) => setTimeout(r, 1000));
    arrivals.length = 0;
    const lat = [];
    for (let i = 2; i < 32; i++) {
      const arrived = new Promise((resolve) => waiters.push(resolve));
      const t0 = performance.now();
      await verifyA(`10.0.${i}.1`); // a network the key never used: one NEW_NETWORK alert each
      const t1 = await Promise.race([arrived, new Promise((r) => setTimeout(() => r(null), 5_000))]);
      if (t1 !== null) lat.push(t1 - t0);
    }
    dispose();
    await Promise.race([client.dispose(), new Promise((r) => setTimeout(r, 5_000))]);
    results.runs.alertToSubscriber = { samples: lat.length, p50Ms: Math.round(percentile(lat, 50)), p99Ms: Math.round(percentile(lat, 99)) };
    log(`alert → subscriber on another node: ${JSON.stringify(results.runs.alertToSubscriber)}`);
  }
  results.runs.revocationPropagation = {
    samples: delays.length,
    p50Ms: Math.round(percentile(delays, 50) * 10) / 10,
    p99Ms: Math.round(percentile(delays, 99) * 10) / 10,
    maxMs: Math.round(Math.max(...delays)),
  };
  log(`revocation propagation: ${JSON.stringify(results.runs.revocationPropagation)}`);
  await a.stop();
  await b.stop();
}

// 6. A million keys: the same 10k-key working set, drawn from the whole population.
if (want('large')) {
  t = Date.now();
  await seedKeys(conn.db, { ...seedOpts, count: LARGE - SMALL, keep: 0 });
  results.seedLargeSeconds = Math.round((Date.now() - t) / 1000);
  log(`seeded ${LARGE - SMALL} more keys in ${results.seedLargeSeconds} s`);
  api = await startPinned('server/dist/main.js', { env: apiEnv });
  results.coldLookupMs.large = await coldLookups(api.url, warmKeys);
  await load({ url: api.url, headers: auth, bodies: warmBodies, duration: 3 });
  results.runs.verifyLargePopulation = { keys: LARGE, ...(await load({ url: api.url, headers: auth, bodies: warmBodies, duration: DURATION })) };
  results.rssMb.largePopulation = api.rssMb();
  log(`${LARGE} keys: ${results.runs.verifyLargePopulation.rps} req/s`);
  await api.stop();
}

await conn.dropDatabase();
await conn.close();

mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
const out = join(ROOT, 'bench', 'results', `verify-${stamp}.json`);
if (ONLY) {
  writeFileSync(out, JSON.stringify(results, null, 2));
  log(`partial run (BENCH_ONLY): wrote ${out}; docs/PERFORMANCE.md unchanged`);
  process.exit(0);
}
results.ratios = {
  warmVsBare: round(results.runs.verifyWarm.rps / results.runs.bareNode.rps),
  oursVsRateLimiterFlexible: round(results.runs.limiter.oursFourWindowsAndBurst / results.runs.limiter.rateLimiterFlexibleOneWindow),
  oursOneWindowVsRateLimiterFlexible: round(results.runs.limiter.oursOneWindow / results.runs.limiter.rateLimiterFlexibleOneWindow),
  dropFrom10kToLarge: round(1 - results.runs.verifyLargePopulation.rps / results.runs.verify10kKeys.rps),
};
writeFileSync(out, JSON.stringify(results, null, 2));
writeReport(results, out);
log(`wrote ${out} and docs/PERFORMANCE.md`);
process.exit(0);

/** Verifies each key once, sequentially: the first (uncached) lookup of each, in ms. */
async function coldLookups(url, keys) {
  const times = [];
  for (const key of keys) {
    const t0 = performance.now();
    await postJson(`${url}/v1/keys/verify`, JSON.stringify({ key }), auth);
    times.push(performance.now() - t0);
  }
  return { samples: times.length, p50: Math.round(percentile(times, 50) * 10) / 10, p99: Math.round(percentile(times, 99) * 10) / 10 };
}

function round(x) {
  return Math.round(x * 100) / 100;
}
