import { writeFileSync } from 'node:fs';
import { startTestApp, type TestApp } from '../harness/app';
import { CommandMonitor, monitoredMongoUri, type CommandRecord } from '../harness/command-monitor';
import { FAILING, WARNING, classify, findingsTable, workList, type ShapeFinding } from './explain-classifier';
import { runManagementSuite } from './management-suite';
import { buildWorld, grow, type OrgWorld } from '../../bench/manage/world';

/**
 * Issue 16, item 1: no request path scans. The management suite (what the console does)
 * runs with command monitoring over two organizations holding a few hundred of
 * everything, and every distinct command shape it caused is explained by the store
 * itself; a shape that reads the whole collection (or sorts every match to return a
 * page) fails the test, listed with the operation that caused it and the server code
 * that issued it.
 *
 * Part of `npm test`, so a new scan cannot land unnoticed: the list became empty once the
 * FerretDB pushdown (tools/ferretdb), an index per key-list sort and the audit id copies
 * were in. Counts over an index range whose filter finishes in memory (tags, name search)
 * are reported, not failed: their cost follows the matches. LATCHKEY_SCAN_REPORT=<file>
 * also writes the findings as Markdown.
 */

/**
 * Shapes that are not on a request path. Every entry says why; a request-path read never
 * belongs here. (The monitor attaches after boot — index creation and the first-start
 * seed are not recorded — so only commands a request can trigger once per database are
 * listed.)
 */
const ALLOWED: readonly { shape: RegExp; why: string }[] = [
  { shape: /^(createIndexes|listIndexes|listCollections|create) /, why: 'index and collection creation: boot (ensureIndexes) or a first write, once per database' },
];

const SIZE = { keysA: 300, keysB: 150, users: 60, sessions: 300, requests: 60, alerts: 80, audit: 600 };

describe('management at scale: no request path scans', () => {
  let app: TestApp;
  let world: { a: OrgWorld; b: OrgWorld };
  let monitor: CommandMonitor;

  beforeAll(async () => {
    const uri = process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27017/';
    app = await startTestApp({ env: { MONGODB_URI: monitoredMongoUri(uri) } });
    world = await buildWorld(app.url);
    const conn = app.server.services.mongo.conn;
    const pepper = app.config.LATCHKEY_KEY_PEPPER;
    const sizeA = { users: SIZE.users, sessions: SIZE.sessions, keys: SIZE.keysA, requests: SIZE.requests, alerts: SIZE.alerts, auditEvents: SIZE.audit };
    await grow(conn, world.a, sizeA, pepper);
    const sizeB = { users: SIZE.users / 2, sessions: SIZE.sessions / 2, keys: SIZE.keysB, requests: SIZE.requests / 2, alerts: SIZE.alerts / 2, auditEvents: SIZE.audit / 2 };
    await grow(conn, world.b, sizeB, pepper);
    // From here on every command of the app is recorded (the seeding above was not).
    monitor = new CommandMonitor(conn.getClient());
  }, 300_000);

  afterAll(async () => {
    monitor?.detach();
    await app?.stop();
  });

  it('serves every console operation with point reads and index-backed ranges', async () => {
    await runManagementSuite({ url: app.url, monitor, a: world.a, b: world.b });
    monitor.detach();
    const recorded = monitor.records.filter((r: CommandRecord) => !ALLOWED.some((x) => x.shape.test(r.shape)));
    const db = app.server.services.mongo.conn.getClient().db(app.config.MONGODB_DB);
    const findings = await classify(db, recorded);
    const failing = findings.filter((f: ShapeFinding) => FAILING.includes(f.verdict));
    const report = [
      `# Command shapes of the management suite (${recorded.length} commands, ${findings.length} shapes, ${failing.length} failing)`,
      '',
      `Store: ${uri()}; ${SIZE.keysA} + ${SIZE.keysB} keys, ${SIZE.audit} + ${SIZE.audit / 2} audit events seeded.`,
      '',
      '## Failing shapes by the server function that issues them',
      '',
      workList(findings),
      '',
      '## Counted over an index range (reported, not failing: cost follows the matches)',
      '',
      workList(findings, WARNING) || '(none)',
      '',
      '## Every shape',
      '',
      findingsTable(findings),
      '',
    ].join('\n');
    if (process.env.LATCHKEY_SCAN_REPORT) writeFileSync(process.env.LATCHKEY_SCAN_REPORT, report);
    process.stdout.write(`${report}\n`);
    expect(failing.map((f) => `${f.verdict}: ${f.shape} — from ${f.sources.join(', ')} — ${f.callers.join(' / ')}`)).toEqual([]);
  }, 600_000);
});

function uri(): string {
  return (process.env.MONGODB_URI ?? '').replace(/\/\/[^@/]*@/, '//');
}
