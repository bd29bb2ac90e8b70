import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/**
 * A JSON POST over node:http(s) rather than fetch: fetch cannot be told to trust a
 * private CA (`--ca`), which a self-hosted API with its own certificate needs.
 */
export function postJson(url: URL, body: unknown, headers: Record<string, string>, ca?: Buffer): Promise<{ status: number; body: string }> {
  const payload = Buffer.from(JSON.stringify(body), 'utf8');
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(payload.length), ...headers }, ...(ca ? { ca } : {}), timeout: 30_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('the leak endpoint did not answer within 30 s')));
    req.on('error', reject);
    req.end(payload);
  });
}
