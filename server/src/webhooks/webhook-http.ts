import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { guardedLookup, literalAddress, assertPublic, parseWebhookUrl, WebhookUrlRefused, type Resolver } from './webhook-url';

export interface PostResult {
  /** HTTP status when the receiver answered at all. */
  statusCode?: number;
  latencyMs: number;
  /** Why the attempt did not succeed (absent on 2xx). */
  error?: string;
  /** Set when the SSRF guard refused the connection: permanent, never retried. */
  refused?: boolean;
  /** First bytes of the receiver's answer, for the delivery log. */
  responseSnippet?: string;
}

export interface PostOptions {
  timeoutMs: number;
  allowLoopback: boolean;
  resolve?: Resolver;
  userAgent: string;
}

const SNIPPET_BYTES = 512;

/**
 * One delivery attempt over node's http/https, not fetch: we need our own `lookup`
 * (checked address = connected address) and must not follow redirects (a 3xx could
 * point at an internal host). The deadline covers the whole exchange, not just idle
 * time, so a slow-drip receiver cannot hold a worker slot.
 */
export function postWebhook(rawUrl: string, headers: Record<string, string>, body: string, opts: PostOptions): Promise<PostResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let url: URL;
  try {
    url = parseWebhookUrl(rawUrl);
    const literal = literalAddress(url);
    // node skips `lookup` for IP literals, so check those here.
    if (literal) assertPublic([literal], opts.allowLoopback);
  } catch (e) {
    return Promise.resolve({ latencyMs: elapsed(), error: (e as Error).message, refused: e instanceof WebhookUrlRefused });
  }

  return new Promise<PostResult>((resolve) => {
    let done = false;
    let refusal: WebhookUrlRefused | undefined;
    const finish = (r: Omit<PostResult, 'latencyMs'>) => {
      if (done) return;
      done = true;
      clearTimeout(timer); // declared below; finish only runs from later events
      resolve({ ...r, latencyMs: elapsed() });
    };
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(url, {
      method: 'POST',
      agent: false,
      lookup: guardedLookup({ allowLoopback: opts.allowLoopback, resolve: opts.resolve, onRefused: (e) => (refusal = e) }),
      headers: {
        ...headers,
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        'user-agent': opts.userAgent,
      },
    });
    const timer = setTimeout(() => {
      req.destroy(new Error(`timed out after ${opts.timeoutMs} ms`));
    }, opts.timeoutMs);
    req.on('response', (res: IncomingMessage) => {
      const status = res.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (size < SNIPPET_BYTES) chunks.push(c);
        size += c.length;
        // We only keep a snippet; stop reading a huge answer.
        if (size > 64 * 1024) res.destroy();
      });
      const settle = () => {
        const responseSnippet = Buffer.concat(chunks).subarray(0, SNIPPET_BYTES).toString('utf8') || undefined;
        if (status >= 200 && status < 300) finish({ statusCode: status, responseSnippet });
        else if (status >= 300 && status < 400) {
          finish({ statusCode: status, responseSnippet, error: `redirect (${status}) not followed; configure the final URL` });
        } else finish({ statusCode: status, responseSnippet, error: `receiver answered HTTP ${status}` });
      };
      res.on('end', settle);
      res.on('close', settle);
      res.on('error', settle);
    });
    req.on('error', (err: Error) => {
      if (refusal) finish({ error: refusal.message, refused: true });
      else finish({ error: err.message || String(err) });
    });
    req.end(body);
  });
}
