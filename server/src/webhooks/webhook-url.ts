import { promises as dns, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { refusalFor } from './webhook-ip';

/** Turns a host name into addresses. Injectable so tests can simulate DNS rebinding. */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolver: Resolver = (hostname) => dns.lookup(hostname, { all: true, verbatim: true });

/** A webhook URL we will not call, with a reason fit to show the tenant. */
export class WebhookUrlRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookUrlRefused';
  }
}

export const MAX_WEBHOOK_URL_LENGTH = 2048;

/**
 * Parses with the WHATWG URL parser, which already canonicalizes the integer, octal
 * and hex IPv4 spellings (`http://2130706433/`, `http://0177.0.0.1/`, `http://0x7f.1/`
 * all become 127.0.0.1) and IPv6 literals, so the address checks see one form.
 */
export function parseWebhookUrl(raw: string): URL {
  if (typeof raw !== 'string' || raw.trim() === '') throw new WebhookUrlRefused('a URL is required');
  if (raw.length > MAX_WEBHOOK_URL_LENGTH) throw new WebhookUrlRefused(`must be at most ${MAX_WEBHOOK_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new WebhookUrlRefused('is not a valid absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new WebhookUrlRefused('only http and https URLs are allowed');
  if (url.username || url.password) throw new WebhookUrlRefused('must not contain credentials');
  if (!url.hostname) throw new WebhookUrlRefused('must name a host');
  return url;
}

/** The address when the URL's host is an IP literal (brackets removed), else null. */
export function literalAddress(url: URL): string | null {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return isIP(host) ? host : null;
}

function refusedMessage(address: string, cls: string): string {
  return `refused: ${address} is a ${cls} address; webhooks may only reach public addresses`;
}

/** Throws when any of the addresses is not allowed (one bad answer is enough to refuse). */
export function assertPublic(addresses: readonly string[], allowLoopback: boolean): void {
  for (const a of addresses) {
    const cls = refusalFor(a, allowLoopback);
    if (cls) throw new WebhookUrlRefused(refusedMessage(a, cls));
  }
}

/**
 * The registration-time check: syntax, then the literal address or every address the
 * host resolves to. Returns the normalized URL. The same check runs again at connect
 * time (`guardedLookup`), because DNS answers can change after registration.
 */
export async function checkWebhookUrl(raw: string, opts: { allowLoopback: boolean; resolve?: Resolver }): Promise<string> {
  const url = parseWebhookUrl(raw);
  const literal = literalAddress(url);
  if (literal) {
    assertPublic([literal], opts.allowLoopback);
    return url.href;
  }
  let answers: LookupAddress[];
  try {
    answers = await (opts.resolve ?? systemResolver)(url.hostname);
  } catch {
    throw new WebhookUrlRefused(`host ${url.hostname} does not resolve`);
  }
  if (answers.length === 0) throw new WebhookUrlRefused(`host ${url.hostname} does not resolve`);
  assertPublic(
    answers.map((a) => a.address),
    opts.allowLoopback,
  );
  return url.href;
}

/**
 * A `lookup` for node's http/https/net that resolves and then refuses non-public
 * answers, so the address we check is the address we connect to (no DNS-rebinding
 * window). Node calls it with `all: true` when happy-eyeballs is on.
 */
export function guardedLookup(opts: { allowLoopback: boolean; resolve?: Resolver; onRefused?: (e: WebhookUrlRefused) => void }): LookupFunction {
  const resolve = opts.resolve ?? systemResolver;
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (answers) => {
        try {
          if (answers.length === 0) throw new WebhookUrlRefused(`host ${hostname} does not resolve`);
          assertPublic(
            answers.map((a) => a.address),
            opts.allowLoopback,
          );
        } catch (e) {
          const err = e as WebhookUrlRefused;
          opts.onRefused?.(err);
          callback(err, '', 4);
          return;
        }
        const wanted = options.family === 4 || options.family === 6 ? answers.filter((a) => a.family === options.family) : answers;
        const list = wanted.length > 0 ? wanted : answers;
        if (options.all) (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
        else {
          const first = list[0] as LookupAddress;
          callback(null, first.address, first.family);
        }
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 4),
    );
  };
}
