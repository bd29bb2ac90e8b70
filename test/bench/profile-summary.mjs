// Self time by function from a V8 .cpuprofile: what the profile showed, in a table.
import { readFileSync } from 'node:fs';

export function topFunctions(file, n = 15) {
  const p = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(p.nodes.map((x) => [x.id, x]));
  const self = new Map();
  const dt = p.timeDeltas;
  for (let i = 0; i < p.samples.length; i++) {
    const node = byId.get(p.samples[i]);
    const cf = node.callFrame;
    const url = cf.url.replace(/^.*\/node_modules\//, 'nm:').replace(/^.*\/work\/[^/]+\//, '').replace(/^file:\/\//, '');
    const name = `${cf.functionName || '(anonymous)'} ${url ? `${url.split('/').slice(-2).join('/')}:${cf.lineNumber + 1}` : ''}`.trim();
    self.set(name, (self.get(name) ?? 0) + (dt[i] ?? 0));
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, us]) => ({ name, percent: Math.round((us / total) * 1000) / 10 }));
}
