// The baseline: bare Node HTTP that parses the same JSON body and answers the same
// JSON shape as POST /v1/keys/verify, with no work in between.
import http from 'node:http';

const port = Number(process.env.PORT);
http
  .createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST') {
        res.writeHead(404).end();
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const out = JSON.stringify({
        valid: true, code: 'VALID', keyId: 'key_0000000000000000000000', orgId: 'org_0000000000000000000000',
        ownerId: null, type: 'application', subtype: 'service', environment: 'production', scopes: ['applications:read'],
        expiresAt: null, ratelimit: { limit: 1000, remaining: 999, resetMs: 1000, window: 'second' }, echo: body.key.length,
      });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(out) });
      res.end(out);
    });
  })
  .listen(port, '127.0.0.1', () => process.stdout.write(`bare listening ${port}\n`));
