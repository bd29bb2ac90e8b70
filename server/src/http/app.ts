import express, { type Express, type Request, type Response, type NextFunction } from 'express';
import { ErrorCode } from '@latchkey/schema';
import type { Config } from '../infra/config';
import type { Logger } from '../infra/logger';
import { httpStatusFor, isAppError } from '../infra/app-error';
import { isMongoUnavailable, STORE_DOWN } from '../infra/mongo';
import type { Metrics } from '../metrics/metrics';
import type { HealthService } from '../health/health.service';

/** A route module mounts its handlers with the services it declares; `app.ts` only wires them. */
export type RouteModule<S> = (app: Express, services: S) => void;

/** What the Express app itself uses: proxy trust, request metrics, readiness. */
export interface ExpressAppDeps {
  config: Pick<Config, 'TRUST_PROXY'>;
  metrics: Metrics;
  health: Pick<HealthService, 'readiness'>;
}

/**
 * The Express app without GraphQL (server.ts mounts Apollo after it). Health, metrics
 * and the REST routes of every domain.
 */
export function createExpressApp<S extends ExpressAppDeps>(services: S, routeModules: readonly RouteModule<S>[]): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', services.config.TRUST_PROXY);
  app.set('etag', false);

  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const route = routeLabel(req);
      services.metrics.httpRequests.inc({ route, status: `${Math.floor(res.statusCode / 100)}xx` });
      services.metrics.httpDuration.observe({ route }, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', (_req, res) => {
    const r = services.health.readiness();
    const down = [r.mongodb === 'down' ? 'mongodb' : null, r.redis === 'down' ? 'redis' : null, r.boot === 'pending' ? 'boot' : null].filter(Boolean);
    const policy = r.redisEvictionPolicy === undefined ? {} : { redisEvictionPolicy: r.redisEvictionPolicy };
    res.status(r.ready ? 200 : 503).json(r.ready ? { status: 'ready', mongodb: 'up', redis: 'up', ...policy } : { status: 'unavailable', down, ...r });
  });
  app.get('/metrics', async (_req, res, next) => {
    try {
      res.type(services.metrics.registry.contentType).send(await services.metrics.registry.metrics());
    } catch (e) {
      next(e);
    }
  });

  for (const mount of routeModules) mount(app, services);
  return app;
}

function routeLabel(req: Request): string {
  const p = req.route?.path ?? req.path;
  if (typeof p !== 'string') return 'other';
  if (p.startsWith('/graphql')) return '/graphql';
  return ['/healthz', '/readyz', '/metrics', '/v1/keys/verify', '/v1/usage', '/v1/leaks'].includes(p) ? p : 'other';
}

/** JSON errors for REST routes; GraphQL has its own formatter. */
export function restErrorHandler(services: { logger: Logger }) {
  return (err: unknown, _req: Request, res: Response, _next: NextFunction): void => {
    const { status, body } = restError(services, err);
    res.status(status).json(body);
  };
}

/** Status and JSON body of a REST error (shared with the verify fast path). */
export function restError(services: { logger: Logger }, err: unknown): { status: number; body: { error: Record<string, unknown> } } {
  if (isAppError(err)) return { status: httpStatusFor(err.code), body: { error: { code: err.code, message: err.message, ...err.details } } };
  const e = err as { type?: string; status?: number; message?: string };
  if (e?.type === 'entity.parse.failed') return { status: 400, body: { error: { code: ErrorCode.BAD_USER_INPUT, message: 'request body is not valid JSON' } } };
  if (e?.type === 'entity.too.large') return { status: 413, body: { error: { code: ErrorCode.PAYLOAD_TOO_LARGE, message: 'request body too large' } } };
  // Other body-parser refusals (unsupported charset or encoding, aborted body): the
  // client's fault, with body-parser's own status and message — never a 500.
  if (typeof e?.type === 'string' && typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    return { status: e.status, body: { error: { code: ErrorCode.BAD_USER_INPUT, message: e.message ?? 'the request body cannot be read' } } };
  }
  if (isMongoUnavailable(err)) return { status: 503, body: { error: { code: ErrorCode.SERVICE_UNAVAILABLE, message: STORE_DOWN } } };
  services.logger.error({ err }, 'unhandled error in REST route');
  return { status: 500, body: { error: { code: ErrorCode.INTERNAL_SERVER_ERROR, message: 'internal server error' } } };
}
