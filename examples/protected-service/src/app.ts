import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import express, { type Express, type Request } from 'express';
import { latchkeyExpress, latchkeyOf, type BandwidthLimits, type Latchkey, type Verification } from '@latchkey/sdk';

export interface ProtectedServiceOptions {
  latchkey: Latchkey;
  /** Bandwidth per key in bytes (the verify answer does not carry it yet; docs/SDK.md). */
  bandwidth?: BandwidthLimits | ((v: Verification) => BandwidthLimits | undefined);
}

const USERS = [
  { id: 'usr_ada', name: 'Ada Lovelace' },
  { id: 'usr_grace', name: 'Grace Hopper' },
];

const MAX_DOWNLOAD = 100 * 1024 * 1024;

/**
 * A small REST API guarded by Latchkey, the one docs/GETTING-STARTED.md walks through:
 * each route names the resource and action a key needs, so the scopes it holds
 * (`users:read`, `applications:deploy:app_1` …) decide what it may call.
 */
export function createProtectedService(opts: ProtectedServiceOptions): Express {
  const client = opts.latchkey;
  const app = express();
  // The demo trusts a proxy on loopback so tests can present a client IP (X-Forwarded-For).
  app.set('trust proxy', 'loopback');

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/users', latchkeyExpress({ client, resource: 'users', action: 'read' }), (req, res) => {
    res.json({ users: USERS, keyId: latchkeyOf(req)?.keyId });
  });

  app.post(
    '/applications/:id/deploy',
    latchkeyExpress<Request>({ client, resource: 'applications', action: 'deploy', resourceId: (req) => String(req.params.id) }),
    (req, res) => {
      res.status(202).json({ deployment: { application: req.params.id, status: 'queued' } });
    },
  );

  // A generated stream of `size` bytes: shows download throttling and byte counting.
  app.get('/downloads/:size', latchkeyExpress({ client, resource: 'data', action: 'read', bandwidth: opts.bandwidth }), async (req, res, next) => {
    const size = Number(req.params.size);
    if (!Number.isInteger(size) || size < 0 || size > MAX_DOWNLOAD) {
      res.status(400).json({ error: `size must be an integer between 0 and ${MAX_DOWNLOAD}` });
      return;
    }
    res.setHeader('content-type', 'application/octet-stream');
    res.setHeader('content-length', String(size));
    try {
      await pipeline(bytes(size), res);
    } catch (err) {
      // The client went away or the key's byte quota stopped the stream: nothing to answer.
      if (!res.headersSent) next(err);
    }
  });

  // Counts an uploaded body: shows upload throttling.
  app.post(
    '/uploads',
    latchkeyExpress({ client, resource: 'data', action: 'write', bandwidth: opts.bandwidth }),
    express.raw({ type: () => true, limit: MAX_DOWNLOAD }),
    (req, res) => {
      res.json({ received: Buffer.isBuffer(req.body) ? req.body.length : 0 });
    },
  );

  return app;
}

function bytes(size: number): Readable {
  const chunk = Buffer.alloc(64 * 1024, 'latchkey ');
  let left = size;
  return new Readable({
    read() {
      if (left <= 0) return void this.push(null);
      const n = Math.min(left, chunk.length);
      left -= n;
      this.push(chunk.subarray(0, n));
    },
  });
}
