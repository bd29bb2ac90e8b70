/**
 * How much of a client address stored request logs keep (REQUEST_LOG_IP_TRUNCATION).
 * `none` keeps it whole; otherwise the address is cut to a network prefix, which is
 * what analytics and abuse investigation need and no longer names one subscriber.
 * Parsed with the configuration; `privacy/ip-truncation.ts` applies it.
 */
export type IpTruncation = 'none' | { readonly v4Bits: number; readonly v6Bits: number };

/** `none`, or `/v4bits,/v6bits` such as `/24,/48` (the usual anonymization prefixes). */
export function parseIpTruncation(value: string): IpTruncation {
  const v = value.trim().toLowerCase();
  if (v === 'none') return 'none';
  const m = /^\/(\d{1,2})\s*,\s*\/(\d{1,3})$/.exec(v);
  const v4Bits = Number(m?.[1]);
  const v6Bits = Number(m?.[2]);
  if (!m || v4Bits < 0 || v4Bits > 32 || v6Bits < 0 || v6Bits > 128) {
    throw new Error('must be "none" or "/<IPv4 prefix 0-32>,/<IPv6 prefix 0-128>", e.g. "/24,/48"');
  }
  return { v4Bits, v6Bits };
}
