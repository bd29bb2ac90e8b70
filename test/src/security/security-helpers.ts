import net from 'node:net';
import type { CommandStartedEvent } from 'mongodb';
import WebSocket from 'ws';
import type { TestApp } from '../harness/app';

/**
 * A MongoDB URI that makes the driver emit command-monitoring events, so a test can count
 * every query an app sends (the driver only emits them when asked at connect time).
 */
export function monitoredMongoUri(): string {
  const uri = process.env.MONGODB_URI as string;
  return `${uri}${uri.includes('?') ? '&' : '?'}monitorCommands=true`;
}

export interface CommandLog {
  commands: { name: string; collection: string | undefined; filterKeys: string[] }[];
  /**
   * Credential lookups: reads of the key hash index and of sessions by hash (what a presented
   * value costs). Other reads in the window (a cache refresh of the caller's own key by
   * id, alert bookkeeping) are background work, not caused by the value.
   */
  credentialReads(): number;
  reset(): void;
  stop(): void;
}

const CREDENTIAL_COLLECTIONS = new Set(['api_keys', 'sessions']);
/** Keys are looked up by hash in their own index collection (keys/key-hash-index.ts). */
const KEY_HASH_INDEX = 'api_key_hashes';
const READS = new Set(['find', 'aggregate', 'count', 'distinct', 'getMore']);

/** Records every command the app's MongoDB client sends (app started with monitoredMongoUri()). */
export function watchCommands(app: TestApp): CommandLog {
  const client = app.server.services.mongo.conn.getClient();
  const commands: CommandLog['commands'] = [];
  const on = (ev: CommandStartedEvent) => {
    const c = ev.command as Record<string, unknown>;
    const collection = typeof c[ev.commandName] === 'string' ? (c[ev.commandName] as string) : undefined;
    const filter = (c.filter ?? (Array.isArray(c.pipeline) ? (c.pipeline[0] as { $match?: object } | undefined)?.$match : undefined) ?? {}) as Record<string, unknown>;
    commands.push({ name: ev.commandName, collection, filterKeys: Object.keys(filter) });
  };
  client.on('commandStarted', on);
  return {
    commands,
    credentialReads: () =>
      commands.filter(
        (c) =>
          READS.has(c.name) &&
          c.collection !== undefined &&
          (c.collection === KEY_HASH_INDEX || (CREDENTIAL_COLLECTIONS.has(c.collection) && c.filterKeys.some((k) => /hash/i.test(k)))),
      ).length,
    reset: () => commands.splice(0),
    stop: () => client.off('commandStarted', on),
  };
}

/**
 * Sends bytes exactly as given (fetch and http.request refuse NUL and non-Latin-1 header
 * values on the client side, so the server's handling of them cannot be tested otherwise).
 */
export function rawHttp(url: string, request: Buffer | string): Promise<{ status: number; text: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const sock = net.connect(Number(u.port), u.hostname, () => sock.end(request));
    sock.on('data', (d: Buffer) => chunks.push(d));
    sock.on('error', reject);
    sock.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      resolve({ status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0), text });
    });
  });
}

export interface WsOutcome {
  /** Close code, or 0 when the connection was acknowledged. */
  code: number;
  reason: string;
  acked: boolean;
}

/**
 * Opens a raw graphql-transport-ws socket, optionally sends connection_init, and reports
 * how the server ended it (or that it acknowledged). No client library in between.
 */
export function wsHandshake(
  wsUrl: string,
  opts: { payload?: unknown; sendInit?: boolean; rawInit?: string; headers?: Record<string, string>; waitMs?: number } = {},
): Promise<WsOutcome & { socket: WebSocket }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(wsUrl, 'graphql-transport-ws', { headers: opts.headers });
    let acked = false;
    const done = (o: WsOutcome) => resolve({ ...o, socket });
    const timer = setTimeout(() => done({ code: 0, reason: 'still open', acked }), opts.waitMs ?? 8_000);
    socket.on('open', () => {
      if (opts.sendInit === false) return;
      socket.send(opts.rawInit ?? JSON.stringify({ type: 'connection_init', payload: opts.payload }));
    });
    socket.on('message', (m: Buffer) => {
      if ((JSON.parse(m.toString()) as { type: string }).type === 'connection_ack') {
        acked = true;
        clearTimeout(timer);
        done({ code: 0, reason: 'acked', acked: true });
      }
    });
    socket.on('unexpected-response', (_req, res) => {
      clearTimeout(timer);
      done({ code: res.statusCode ?? -1, reason: 'handshake refused', acked: false });
    });
    socket.on('close', (code: number, reason: Buffer) => {
      clearTimeout(timer);
      done({ code, reason: reason.toString(), acked });
    });
    socket.on('error', () => undefined);
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
