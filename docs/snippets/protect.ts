import express from 'express';
import { Latchkey, latchkeyExpress, latchkeyOf } from '@latchkey/sdk';

export const latchkey = new Latchkey({
  apiKey: process.env.LATCHKEY_SERVICE_KEY ?? '',
  baseUrl: process.env.LATCHKEY_URL ?? 'http://127.0.0.1:4000',
  environment: 'production',
});

export const app = express();

app.get('/users', latchkeyExpress({ client: latchkey, resource: 'users', action: 'read' }), (req, res) => {
  res.json({ users: [{ id: 'usr_ada', name: 'Ada Lovelace' }], keyId: latchkeyOf(req)?.keyId });
});
