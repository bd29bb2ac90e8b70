// Runs the console's standalone Next.js server, over HTTPS when TLS_CERT_FILE and
// TLS_KEY_FILE are set (docs/SECURITY-OPERATIONS.md), plainly otherwise.
//
// Why a wrapper: `next start --experimental-https` exists only for `next dev`, and the
// standalone server.js creates its one listening server with http.createServer. So the
// first http.createServer call is answered with an https server carrying the same
// request listener (Next's upgrade handling attaches to it unchanged). Nothing in the
// console's code changes; the build output is used as is.
//
// Over TLS every response carries Strict-Transport-Security, and X-Forwarded-Proto is
// set to https (overwriting anything a client sent) so the console's own cookies
// (app/api/session/route.ts) are issued with Secure.
import http from 'node:http';
import https from 'node:https';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const clientDir = fileURLToPath(new URL('..', import.meta.url));
const standalone = path.join(clientDir, '.next', 'standalone', path.basename(clientDir), 'server.js');
if (!existsSync(standalone)) {
  console.error(`https-server: ${standalone} not found; run "npm run build -w client" first`);
  process.exit(1);
}

const certFile = process.env.TLS_CERT_FILE;
const keyFile = process.env.TLS_KEY_FILE;
if (Boolean(certFile) !== Boolean(keyFile)) {
  console.error('https-server: set TLS_CERT_FILE and TLS_KEY_FILE together');
  process.exit(78);
}

if (certFile && keyFile) {
  const tls = { cert: readFileSync(certFile), key: readFileSync(keyFile), minVersion: 'TLSv1.2' };
  const maxAge = Number(process.env.TLS_HSTS_MAX_AGE_SECONDS ?? 31_536_000);
  const hsts = Number.isInteger(maxAge) && maxAge > 0 ? `max-age=${maxAge}; includeSubDomains` : null;
  const createHttpServer = http.createServer;
  http.createServer = function createConsoleServer(...args) {
    http.createServer = createHttpServer; // only the console's own server becomes https
    const listener = args.find((a) => typeof a === 'function');
    return https.createServer(tls, (req, res) => {
      req.headers['x-forwarded-proto'] = 'https';
      if (hsts) res.setHeader('Strict-Transport-Security', hsts);
      return listener(req, res);
    });
  };
}

await import(pathToFileURL(standalone).href);
