// Rewrites the measured section of docs/PERFORMANCE.md from one results file.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from './lib.mjs';

const START = '<!-- bench:start -->';
const END = '<!-- bench:end -->';

export function writeReport(r, file) {
  const row = (name, x, note = '') => `| ${name} | ${x.rps?.toLocaleString('en-US') ?? '—'} | ${x.p50Ms ?? '—'} | ${x.p99Ms ?? '—'} | ${note} |`;
  const lines = [
    START,
    `Measured ${r.startedAt} (${r.machine.cores} cores; servers pinned to core 0, autocannon on core 1, -c 64, ${r.durationSeconds} s per run). Raw: \`${relative(ROOT, file)}\`.`,
    '',
    '| run | req/s | p50 ms | p99 ms | note |',
    '|---|---|---|---|---|',
    row('bare Node HTTP (baseline)', r.runs.bareNode),
    row('verify, warm cache', r.runs.verifyWarm, `${r.ratios.warmVsBare}× baseline; 4 sliding windows + burst checked in Redis`),
    row('verify at half the warm rate', r.runs.verifyWarmHalfRate, 'latency at half load'),
    ...(r.runs.bareAtHalfRate ? [row('bare Node HTTP at that same rate', r.runs.bareAtHalfRate, "the load generator's latency floor in rate mode")] : []),
    row(
      `verify, ${r.runs.verifyLargePopulation.keys.toLocaleString('en-US')} keys stored (same warm set)`,
      r.runs.verifyLargePopulation,
      r.ratios.dropFrom10kToLarge > 0
        ? `${Math.round(r.ratios.dropFrom10kToLarge * 100)} % slower than with 10k stored`
        : `no drop vs 10k stored (${Math.round(-r.ratios.dropFrom10kToLarge * 100)} % faster: noise)`,
    ),
    row('verify, cold cache (MongoDB per request)', r.runs.verifyCold),
    row('GraphQL verifyApiKey', r.runs.graphqlVerifyApiKey),
    '',
    '| limiter alone (in process, 64 in flight) | checks/s |',
    '|---|---|',
    `| rate-limiter-flexible, one fixed window | ${r.runs.limiter.rateLimiterFlexibleOneWindow.toLocaleString('en-US')} |`,
    `| ours, one sliding window | ${r.runs.limiter.oursOneWindow.toLocaleString('en-US')} (${r.ratios.oursOneWindowVsRateLimiterFlexible}×) |`,
    `| ours, 4 sliding windows + burst | ${r.runs.limiter.oursFourWindowsAndBurst.toLocaleString('en-US')} (${r.ratios.oursVsRateLimiterFlexible}×) |`,
    '',
    `Revocation propagation across two API processes (${r.runs.revocationPropagation.samples} samples): ` +
      `p50 ${r.runs.revocationPropagation.p50Ms} ms, p99 ${r.runs.revocationPropagation.p99Ms} ms, max ${r.runs.revocationPropagation.maxMs} ms.`,
    r.runs.alertToSubscriber
      ? `Alert latency, violating request on node A → \`alertRaised\` subscriber on node B (${r.runs.alertToSubscriber.samples} samples): ` +
        `p50 ${r.runs.alertToSubscriber.p50Ms} ms, p99 ${r.runs.alertToSubscriber.p99Ms} ms.`
      : '',
    `First (uncached) lookup of a key, sequential: p50 ${r.coldLookupMs.keys10k.p50} ms / p99 ${r.coldLookupMs.keys10k.p99} ms with 10k keys stored; ` +
      `p50 ${r.coldLookupMs.large.p50} ms / p99 ${r.coldLookupMs.large.p99} ms with ${r.runs.verifyLargePopulation.keys.toLocaleString('en-US')}.`,
    `RSS of the API process: ${r.rssMb.afterWarmRuns} MB after the warm runs, ` +
      `${r.rssMb.largePopulation} MB with ${r.runs.verifyLargePopulation.keys.toLocaleString('en-US')} keys in the store.`,
    r.profileTop
      ? `\nTop self time in the warm run (BENCH_PROFILE=1):\n\n| function | % |\n|---|---|\n${r.profileTop.map((f) => `| \`${f.name}\` | ${f.percent} |`).join('\n')}`
      : '',
    END,
  ];
  const path = join(ROOT, 'docs', 'PERFORMANCE.md');
  const current = existsSync(path) ? readFileSync(path, 'utf8') : `# Performance\n\n${START}\n${END}\n`;
  const next = current.includes(START) ? current.replace(new RegExp(`${START}[\\s\\S]*${END}`), lines.join('\n')) : `${current}\n${lines.join('\n')}\n`;
  writeFileSync(path, next);
}
