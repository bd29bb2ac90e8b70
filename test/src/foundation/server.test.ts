import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp, type TestApp } from '../harness/app';
import { gql } from '../harness/graphql';
import { emittedSdl } from '@latchkey/server/testing';

describe('API node', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.stop());

  it('answers /healthz and /readyz once MongoDB and Redis are reachable', async () => {
    expect(await (await fetch(`${app.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${app.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', mongodb: 'up', redis: 'up' });
  });

  it('serves Prometheus metrics', async () => {
    const res = await fetch(`${app.url}/metrics`);
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(await res.text()).toContain('latchkey_http_requests_total');
  });

  it('answers a GraphQL query over HTTP', async () => {
    const r = await gql<{ serverInfo: { ready: boolean; version: string } }>(app.url, '{ serverInfo { ready version } }');
    expect(r.data?.serverInfo.ready).toBe(true);
  });

  it('refuses a text/plain POST (CSRF prevention)', async () => {
    const res = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ query: '{ serverInfo { version } }' }),
    });
    expect(res.status).toBe(400);
  });

  it('rejects an over-deep query before any resolver runs', async () => {
    const deep = `{ ${'a { '.repeat(30)}b${' }'.repeat(30)} }`;
    const r = await gql(app.url, deep);
    expect(r.errors?.length).toBeGreaterThan(0);
    expect(r.data).toBeUndefined();
  });
});

describe('schema discipline', () => {
  it('the committed schema/schema.graphql is what the code emits', async () => {
    const committed = readFileSync(join(__dirname, '..', '..', '..', 'schema', 'schema.graphql'), 'utf8');
    expect(committed).toBe(await emittedSdl());
  });
});
