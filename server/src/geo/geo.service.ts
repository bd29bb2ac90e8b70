import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { Reader, type Response } from 'maxmind';

/**
 * Offline IP → country. The database ships inside the npm package
 * `@ip-location-db/geo-whois-asn-country-mmdb` (CC0, built from RIR whois + ASN data,
 * country granularity only), read with `maxmind`. Nothing is downloaded at run time.
 *
 * Why not geoip-lite: it loads ~190 MB into every API node for city data we do not use;
 * this file is 7.8 MB and the reader adds ~11 MB RSS (measured, docs/MONITORING.md).
 * It still loads lazily, on the first lookup, so processes that never resolve a
 * country (the jobs process, most unit tests) pay nothing.
 */
interface CountryRecord {
  country_code?: string;
}

export const GEO_DATABASE_PACKAGE = '@ip-location-db/geo-whois-asn-country-mmdb';

export class GeoIp {
  private reader: Reader<Response> | null | undefined;
  /** How long the database took to load (ms), once loaded. */
  loadMs: number | null = null;

  constructor(private readonly file: string = defaultDatabaseFile()) {}

  get loaded(): boolean {
    return this.reader !== undefined && this.reader !== null;
  }

  /** ISO 3166-1 alpha-2 of a public address; undefined for private, loopback and unknown ones. */
  countryOf(ip: string | undefined | null): string | undefined {
    if (!ip || isIP(ip) === 0 || !isPublic(ip)) return undefined;
    const r = this.open();
    if (!r) return undefined;
    try {
      const cc = (r.get(ip) as CountryRecord | null)?.country_code;
      return cc && /^[A-Z]{2}$/.test(cc) ? cc : undefined;
    } catch {
      return undefined;
    }
  }

  private open(): Reader<Response> | null {
    if (this.reader !== undefined) return this.reader;
    const t0 = Date.now();
    try {
      this.reader = new Reader<Response>(readFileSync(this.file));
    } catch {
      // A missing database degrades to "no country", never to a failing request.
      this.reader = null;
    }
    this.loadMs = Date.now() - t0;
    return this.reader;
  }
}

function defaultDatabaseFile(): string {
  return require.resolve(`${GEO_DATABASE_PACKAGE}/geo-whois-asn-country.mmdb`);
}

/**
 * The network an address belongs to for "new network" detection: the /24 of an IPv4
 * address, the /48 of an IPv6 one (one site under common allocation practice).
 */
export function networkOf(ip: string | undefined | null): string | undefined {
  if (!ip) return undefined;
  const v = isIP(ip);
  if (v === 4) return `${ip.split('.').slice(0, 3).join('.')}.0/24`;
  if (v === 6) {
    const groups = expandV6(ip);
    return groups ? `${groups.slice(0, 3).join(':')}::/48` : undefined;
  }
  return undefined;
}

function expandV6(ip: string): string[] | null {
  if (ip.includes('.')) return null; // v4-mapped forms are normalized to v4 upstream
  const [head, tail] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const fill = ip.includes('::') ? 8 - h.length - t.length : 0;
  const all = [...h, ...Array(Math.max(0, fill)).fill('0'), ...t];
  return all.length === 8 ? all.map((g) => g.toLowerCase().replace(/^0+(?=.)/, '')) : null;
}

/** False for loopback, private, link-local, CGNAT, documentation-free reserved ranges. */
export function isPublic(ip: string): boolean {
  if (isIP(ip) === 4) {
    const [a = 0, b = 0] = ip.split('.').map(Number);
    if (a === 10 || a === 127 || a === 0 || a >= 224) return false;
    if (a === 172 && b >= 16 && b <= 31) return false;
    if (a === 192 && b === 168) return false;
    if (a === 169 && b === 254) return false;
    if (a === 100 && b >= 64 && b <= 127) return false;
    return true;
  }
  const low = ip.toLowerCase();
  return !(low === '::1' || low === '::' || low.startsWith('fe80:') || low.startsWith('fc') || low.startsWith('fd'));
}
