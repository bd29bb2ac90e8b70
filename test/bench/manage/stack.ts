import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';

/** The processes `npm start` runs — API, workers — started from their builds, pinned like `npm run bench`. */

export const ROOT = path.resolve(__dirname, '..', '..', '..');

const children = new Set<ChildProcess>();
// Whatever is still running when the bench exits (watchdog, error) dies with it.
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export interface Proc {
  url: string;
  pid: number | undefined;
  stop(): Promise<void>;
}

/** `node <script>` on `core` (taskset unless BENCH_NO_PIN), ready when `readyPath` answers 200. */
export async function startNode(script: string, opts: { env: Record<string, string>; core?: number; readyPath?: string | null }): Promise<Proc> {
  const port = await freePort();
  const pin = process.env.BENCH_NO_PIN ? [] : ['taskset', '-c', String(opts.core ?? 0)];
  const argv = [...pin, process.execPath, script];
  const child = spawn(argv[0] as string, argv.slice(1), {
    cwd: ROOT,
    env: { ...process.env, ...opts.env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
    });
  if (opts.readyPath === null) return { url, pid: child.pid, stop };
  const deadline = Date.now() + 120_000;
  for (;;) {
    const ok = await fetch(`${url}${opts.readyPath ?? '/readyz'}`, { signal: AbortSignal.timeout(2_000) }).then((r) => r.status === 200, () => false);
    if (ok) break;
    if (child.exitCode !== null) throw new Error(`${script} exited: ${err}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${script} not ready after 120 s: ${err}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, pid: child.pid, stop };
}
