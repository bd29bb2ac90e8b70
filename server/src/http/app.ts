import express, { type Express, type Request, type Response, type NextFunction } from 'express';
import { ErrorCode } from '@latchkey/schema';
import type { AppServices } from '../app-services';
import { isAppError } from '../infra/app-error';
import { httpStatusFor, STORE_DOWN } from '../graphql/format-error';
import { isMongoUnavailable } from '../infra/mongo';

/** A route module mounts its handlers; `app.ts` only wires them. */
export type RouteModule = (app: Express, services: AppServices) => void;

/**
 * The Express app without GraphQL (server.ts mounts Apollo after it). Health, metrics
 * and the REST routes of every domain.
 */
export function createExpressApp(services: AppServices, routeModules: readonly RouteModule[]): Express {
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
    res.status(r.ready ? 200 : 503).json(r.ready ? { status: 'ready', mongodb: 'up', redis: 'up' } : { status: 'unavailable', down, ...r });
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
export function restErrorHandler(services: AppServices) {
  return (err: unknown, _req: Request, res: Response, _next: NextFunction): void => {
    if (isAppError(err)) {
      res.status(httpStatusFor(err.code)).json({ error: { code: err.code, message: err.message, ...err.details } });
      return;
    }
    const e = err as { type?: string; status?: number; message?: string };
    if (e?.type === 'entity.parse.failed') {
      res.status(400).json({ error: { code: ErrorCode.BAD_USER_INPUT, message: 'request body is not valid JSON' } });
      return;
    }
    if (e?.type === 'entity.too.large') {
      res.status(413).json({ error: { code: ErrorCode.PAYLOAD_TOO_LARGE, message: 'request body too large' } });
      return;
    }
    if (isMongoUnavailable(err)) {
      res.status(503).json({ error: { code: ErrorCode.SERVICE_UNAVAILABLE, message: STORE_DOWN } });
      return;
    }
    services.logger.error({ err }, 'unhandled error in REST route');
    res.status(500).json({ error: { code: ErrorCode.INTERNAL_SERVER_ERROR, message: 'internal server error' } });
  };
}
