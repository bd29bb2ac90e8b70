import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { ErrorCode } from '@latchkey/schema';
import { isAppError, httpStatusFor } from '../infra/app-error';
import { requestMeta } from '../http/request-meta';
import { MAX_LEAK_BATCH, MAX_LEAK_BODY, parseLeakReport } from './leak-report';
import type { LeakReporter } from './leak-reporters';
import type { LeakService } from './leak.service';

type WithReporter = Response<unknown, { reporter?: LeakReporter }>;

/**
 * POST /v1/leaks — reports of exposed keys in GitHub's secret-scanning partner shape.
 * The reporter authenticates BEFORE the body is read (an unknown caller cannot make us
 * parse a megabyte), with `Authorization: Bearer lkrep_…`. The answer is GitHub's
 * feedback shape: `[{token_raw, token_type, label}]`, one entry per reported item.
 */
export function mountLeakRoute(app: Express, services: { leaks: LeakService }): void {
  app.post(
    '/v1/leaks',
    async (req: Request, res: WithReporter, next: NextFunction) => {
      try {
        const auth = req.headers.authorization;
        const m = typeof auth === 'string' ? /^Bearer\s+(\S+)$/i.exec(auth) : null;
        const reporter = m?.[1] ? await services.leaks.authenticateReporter(m[1]) : null;
        if (!reporter) {
          const message = 'unknown leak reporter: send the reporter secret set with setLeakReporterSecret as Authorization: Bearer <secret>';
          res.status(401).json({ error: { code: ErrorCode.UNAUTHENTICATED, message } });
          return;
        }
        res.locals.reporter = reporter;
        next();
      } catch (e) {
        next(e);
      }
    },
    express.json({ limit: MAX_LEAK_BODY, type: () => true }),
    async (req: Request, res: WithReporter, next: NextFunction) => {
      try {
        const reporter = res.locals.reporter as LeakReporter;
        const items = parseLeakReport(req.body);
        const summary = await services.leaks.handleReport(reporter, items, requestMeta(req));
        res.status(200).json(summary.labels);
      } catch (e) {
        next(e);
      }
    },
    // Errors of this route get messages a reporter can act on (the generic handler's are vaguer).
    (err: unknown, _req: Request, res: Response, next: NextFunction) => {
      const e = err as { type?: string };
      if (e?.type === 'entity.too.large') {
        res.status(413).json({ error: { code: ErrorCode.PAYLOAD_TOO_LARGE, message: `a leak report is at most ${MAX_LEAK_BODY} and ${MAX_LEAK_BATCH} items; split it` } });
        return;
      }
      if (e?.type === 'entity.parse.failed') {
        res.status(400).json({ error: { code: ErrorCode.BAD_USER_INPUT, message: 'a leak report is a JSON array of {token, type, url, source}; the body is not valid JSON' } });
        return;
      }
      if (isAppError(err)) {
        res.status(httpStatusFor(err.code)).json({ error: { code: err.code, message: err.message, ...err.details } });
        return;
      }
      next(err);
    },
  );
}
