import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Express } from 'express';
import proxyAddr from 'proxy-addr';
import { Scope } from '@latchkey/schema';
import type { Logger } from '../infra/logger';
import type { Metrics } from '../metrics/metrics';
import type { MonitoringMetrics } from '../usage/monitoring-metrics';
import { restError } from '../http/app';
import { checkCaller } from './caller';
import { parseVerifyRequest } from './verify.inputs';
import { publicBody } from './verify.route';
import type { VerifyRequest } from '@latchkey/schema';
import type { VerifyService } from './verify.service';

export interface FastRouteDeps {
  verify: VerifyService;
  logger: Logger;
  metrics: Metrics;
  monitoring: MonitoringMetrics;
}

export const VERIFY_PATH = '/v1/keys/verify';
const BODY_LIMIT = 64 * 1024;
const JSON_TYPE = /^application\/json\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

/**
 * POST /v1/keys/verify answered below Express (docs/PERFORMANCE.md). The route is the
 * product's hot path; Express routing, body parsing and response helpers took about a
 * third of its CPU in the benchmark profile. Same contract as the Express route
 * (verify.route.ts), which still answers every request this one does not take: a query
 * string, another content type, a compressed body. Same caller check, input schema,
 * errors (restError), client address (Express's `trust proxy` function) and metrics.
 */
export function withVerifyFastPath(services: FastRouteDeps, app: Express): RequestListener {
  const trust = app.get('trust proxy fn') as Parameters<typeof proxyAddr>[1];
  return (req, res) => {
    if (req.method !== 'POST' || req.url !== VERIFY_PATH || !takes(req)) {
      app(req, res);
      return;
    }
    void answer(services, trust, req, res);
  };
}

function takes(req: IncomingMessage): boolean {
  const type = req.headers['content-type'];
  const encoding = req.headers['content-encoding'];
  return typeof type === 'string' && JSON_TYPE.test(type) && (encoding === undefined || encoding.toLowerCase() === 'identity');
}

async function answer(services: FastRouteDeps, trust: Parameters<typeof proxyAddr>[1], req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = process.hrtime.bigint();
  let status: number;
  let body: unknown;
  try {
    const json = await readJson(req);
    const caller = await checkCaller(services.verify, req.headers.authorization, proxyAddr(req, trust), Scope.keysVerify);
    if (caller.ok) {
      status = 200;
      body = publicBody(await services.verify.verify(verifyInput(json), { callerOrgId: caller.orgId }));
    } else {
      ({ status, body } = caller);
    }
  } catch (err) {
    ({ status, body } = restError(services, err));
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const klass = `${Math.floor(status / 100)}xx`;
  services.metrics.httpRequests.inc({ route: VERIFY_PATH, status: klass });
  services.metrics.httpDuration.observe({ route: VERIFY_PATH }, seconds);
  services.monitoring.verifyDuration.observe({ status: klass }, seconds);
}

/** The common body `{"key": "…"}` skips the schema (the same checks, written out). */
function verifyInput(json: unknown): VerifyRequest {
  if (json !== null && typeof json === 'object' && !Array.isArray(json)) {
    const o = json as Record<string, unknown>;
    if (typeof o.key === 'string' && o.key.length <= 4096 && Object.keys(o).length === 1) return { key: o.key };
  }
  return parseVerifyRequest(json);
}

class BodyError extends Error {
  constructor(readonly type: 'entity.parse.failed' | 'entity.too.large') {
    super(type);
  }
}

/** The body as JSON, like express.json({ limit: '64kb' }) (strict: objects and arrays only). */
function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (declared > BODY_LIMIT) {
      req.resume();
      reject(new BodyError('entity.too.large'));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > BODY_LIMIT) {
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyError('entity.too.large'));
        return;
      }
      chunks.push(c);
    });
    req.on('error', reject);
    // A client that goes away mid-body gets no answer; the promise must still settle.
    req.on('close', () => {
      if (!req.complete) reject(new BodyError('entity.parse.failed'));
    });
    req.on('end', () => {
      const text = (chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)).toString('utf8');
      const first = /\S/.exec(text)?.[0];
      if (first === undefined) return resolve({});
      if (first !== '{' && first !== '[') return reject(new BodyError('entity.parse.failed'));
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(new BodyError('entity.parse.failed'));
      }
    });
  });
}
