import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const SCREENSHOT_DIR = path.join(REPO_ROOT, 'test', 'artifacts', 'screenshots');
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where `npm run build -w client` leaves the standalone server (tracing root = repo root). */
export const CONSOLE_STANDALONE_DIR = path.join(REPO_ROOT, 'client', '.next', 'standalone');
export const CONSOLE_SERVER_JS = path.join(CONSOLE_STANDALONE_DIR, 'client', 'server.js');

// Everything that would make Chromium talk to Google or the network on its own.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface BrowserHandle {
  browser: Browser;
  newPage(viewport?: { width: number; height: number }): Promise<Page>;
  /**
   * Saves a PNG to test/artifacts/screenshots/<name>.png and returns its path: the full
   * page unless `fullPage: false` (just the viewport, e.g. 1280×800 for the README).
   */
  screenshot(page: Page, name: string, opts?: { fullPage?: boolean }): Promise<string>;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<BrowserHandle> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: apt-get install -y chromium (never "playwright install").`);
  }
  // launch() gives every browser a fresh temporary profile and deletes it on close;
  // Playwright refuses --user-data-dir in args (that is launchPersistentContext's job).
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  let closed = false;
  return {
    browser,
    async newPage(viewport = { width: 1366, height: 800 }) {
      const context = await browser.newContext({ viewport });
      return context.newPage();
    },
    async screenshot(page, name, opts = {}) {
      const safeName = name.replace(/[^a-z0-9._-]+/gi, '-');
      await mkdir(SCREENSHOT_DIR, { recursive: true });
      const file = path.join(SCREENSHOT_DIR, `${safeName}.png`);
      await page.screenshot({ path: file, fullPage: opts.fullPage ?? true });
      return file;
    },
    async close() {
      if (closed) return;
      closed = true;
      await browser.close();
    },
  };
}

export interface ConsoleHandle {
  url: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (exited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (exited(child)) return;
  child.kill('SIGTERM');
  if (await waitForExit(child, 5_000)) return;
  child.kill('SIGKILL');
  await waitForExit(child, 5_000);
}

async function waitForHttp(url: string, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited(child)) {
      throw new Error(`console exited early (code ${child.exitCode}, signal ${child.signalCode}):\n${output()}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1_000), redirect: 'manual' });
      await response.arrayBuffer();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`console did not answer at ${url} within ${timeoutMs} ms:\n${output()}`);
}

/**
 * Runs the built standalone console (`npm run build -w client` first) on a free port.
 * `node` is spawned directly, not through a shell, so the pid we signal is the server's.
 */
export async function startConsole({ apiUrl }: { apiUrl: string }): Promise<ConsoleHandle> {
  if (!existsSync(CONSOLE_SERVER_JS)) {
    throw new Error(`${CONSOLE_SERVER_JS} is missing: run "npm run build -w client" first.`);
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [CONSOLE_SERVER_JS], {
    cwd: path.dirname(CONSOLE_SERVER_JS),
    env: {
      ...process.env,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      PORT: String(port),
      HOSTNAME: '127.0.0.1',
      LATCHKEY_API_URL: apiUrl,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Keep the tail of the server's output for error messages; draining also stops a full pipe from blocking it.
  let log = '';
  const collect = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-8_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  try {
    await waitForHttp(url, child, () => log, 30_000);
  } catch (error) {
    await stopProcess(child);
    throw error;
  }
  return { url, stop: () => stopProcess(child) };
}
