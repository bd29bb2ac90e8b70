import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Latchkey, type LatchkeyOptions } from '@latchkey/sdk';
import type { TestApp } from '../harness/app';
import { serviceKey, verifierSetup } from '../verify/verify-helpers';

export interface SdkWorld {
  token: string;
  /** A key holding keys:verify (what a protected service is configured with). */
  verifier: string;
  /** A Latchkey client of that service, reporting usage quickly. */
  latchkey: Latchkey;
  /** An end user's key for the routes, with the given extra input. */
  key(input?: Record<string, unknown>): Promise<{ id: string; secret: string }>;
}

export async function sdkWorld(app: TestApp, opts: Partial<LatchkeyOptions> = {}): Promise<SdkWorld> {
  const { token, verifier } = await verifierSetup(app);
  const latchkey = new Latchkey({ apiKey: verifier, baseUrl: app.url, timeoutMs: 10_000, usage: { flushIntervalMs: 200 }, ...opts });
  return { token, verifier, latchkey, key: (input = {}) => serviceKey(app, token, input) };
}

/** Listens on an ephemeral loopback port; `close()` also drops keep-alive sockets. */
export async function listen(handler: RequestListener): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A TCP port that accepts connections and never answers: Latchkey hanging. */
export async function blackHole(): Promise<{ url: string; close(): Promise<void> }> {
  return listen(() => undefined);
}

export async function problemOf(res: Response): Promise<{ code: string; status: number; title: string; type: string; detail: string }> {
  expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
  return (await res.json()) as { code: string; status: number; title: string; type: string; detail: string };
}
