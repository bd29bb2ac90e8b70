import { Latchkey } from '@latchkey/sdk';
import { createProtectedService } from './app';

// `npm start -w examples/protected-service` after `npm run build`: the configuration
// a real deployment would pass in its environment.
const apiKey = process.env.LATCHKEY_SERVICE_KEY;
if (!apiKey) {
  process.stderr.write('set LATCHKEY_SERVICE_KEY to a key with the keys:verify scope\n');
  process.exit(1);
}
const latchkey = new Latchkey({ apiKey, baseUrl: process.env.LATCHKEY_URL ?? 'http://127.0.0.1:4000', environment: 'production' });
const port = Number(process.env.PORT ?? 8080);
const server = createProtectedService({ latchkey }).listen(port, '127.0.0.1', () => {
  process.stdout.write(`protected service on http://127.0.0.1:${port}\n`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close();
    // Flushes the usage reports still queued before exiting.
    void latchkey.close().finally(() => process.exit(0));
  });
}
