import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { waitReady, type TestApp } from './app';

const ROOT = join(__dirname, '..', '..', '..');
export const SERVER_MAIN = join(ROOT, 'server', 'dist', 'main.js');
export const JOBS_MAIN = join(ROOT, 'jobs', 'dist', 'main.js');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export interface NodeProcess {
  url: string;
  child: ChildProcess;
  output: string[];
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * A second API node (or a worker) as a real process sharing the deployment of `peer`:
 * the same database and Redis prefix. Runs the built `dist/` (npm test builds first).
 */
export async function startNodeProcess(peer: TestApp, kind: 'api' | 'jobs' = 'api', env: Record<string, string> = {}): Promise<NodeProcess> {
  const main = kind === 'api' ? SERVER_MAIN : JOBS_MAIN;
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first (npm test does)`);
  const port = await freePort();
  const output: string[] = [];
  const child = spawn(process.execPath, [main], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      MONGODB_DB: peer.config.MONGODB_DB,
      REDIS_PREFIX: peer.config.REDIS_PREFIX,
      LOG_LEVEL: 'warn',
      LATCHKEY_ADMIN_EMAIL: peer.config.LATCHKEY_ADMIN_EMAIL,
      LATCHKEY_ADMIN_PASSWORD: peer.config.LATCHKEY_ADMIN_PASSWORD,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => output.push(d.toString()));
  child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
  const url = `http://127.0.0.1:${port}`;
  if (kind === 'api') {
    await waitReady(url, 30_000).catch((e: Error) => {
      child.kill('SIGKILL');
      throw new Error(`${e.message}\n--- ${main} output ---\n${output.join('').slice(-3000)}`);
    });
  }
  let stopped: Promise<void> | undefined;
  return {
    url,
    child,
    output,
    stop(signal: NodeJS.Signals = 'SIGTERM') {
      stopped ??= new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
        setTimeout(() => child.kill('SIGKILL'), 8_000).unref();
      });
      return stopped;
    },
  };
}
