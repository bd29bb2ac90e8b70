import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../harness/node-process';

const BIN = join(__dirname, '..', '..', '..', 'tools', 'ferretdb', 'bin', 'ferretdb');

export interface PrivateFerret {
  uri: string;
  /** SIGKILL: an outage, not a shutdown. */
  kill(): Promise<void>;
  /** Starts again on the same port and data directory. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

function waitPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve();
      });
      s.on('error', () => {
        s.destroy();
        if (Date.now() > deadline) reject(new Error(`ferretdb on ${port} did not start`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

/**
 * A MongoDB-wire server of the test's own (the embedded FerretDB, SQLite backend, data in
 * a fresh temp dir), so a fault test can kill it without touching the shared one.
 */
export async function startPrivateFerret(): Promise<PrivateFerret> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'lk-ferret-'));
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(BIN, ['-listen', `127.0.0.1:${port}`, '-dir', dir], { stdio: 'ignore' });
    await waitPort(port, 20_000);
  };
  const kill = () =>
    new Promise<void>((resolve) => {
      if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  await start();
  return {
    uri: `mongodb://127.0.0.1:${port}/`,
    kill,
    restart: start,
    async stop() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
