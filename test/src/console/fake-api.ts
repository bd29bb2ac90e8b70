import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeApi {
  url: string;
  /** Bodies and headers of the GraphQL requests received, oldest first. */
  graphqlRequests: { headers: IncomingMessage['headers']; body: unknown }[];
  close(): Promise<void>;
}

/**
 * Just enough of the API for the console skeleton: a ready `/readyz` and a `login`
 * mutation that accepts one fixed user. Stands in until the real login exists.
 */
export async function startFakeApi(user: { email: string; password: string; token: string }): Promise<FakeApi> {
  const graphqlRequests: FakeApi['graphqlRequests'] = [];
  const server = createServer(async (req, res) => {
    if (req.method === 'GET' && req.url === '/readyz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ready"}');
      return;
    }
    if (req.method === 'POST' && req.url === '/graphql') {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = JSON.parse(Buffer.concat(chunks).toString()) as { variables?: { e?: string; p?: string } };
      graphqlRequests.push({ headers: req.headers, body });
      const ok = body.variables?.e === user.email && body.variables?.p === user.password;
      const reply = ok
        ? { data: { login: { token: user.token } } }
        : { data: null, errors: [{ message: 'Invalid email or password.', extensions: { code: 'UNAUTHENTICATED' } }] };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    graphqlRequests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
