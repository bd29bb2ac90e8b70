import { loadConfig } from '../infra/config';
import { hstsValue, isLoopbackHost, plainHttpWarning } from './tls-server';

const base = { MONGODB_URI: 'mongodb://127.0.0.1:1/' };
const prod = { ...base, NODE_ENV: 'production', LATCHKEY_KEY_PEPPER: 'p'.repeat(40), LATCHKEY_KEK: Buffer.alloc(32, 3).toString('base64') };

describe('TLS settings', () => {
  it('sends HSTS only while the API serves TLS itself', () => {
    expect(hstsValue(loadConfig(base))).toBeNull();
    expect(hstsValue(loadConfig({ ...base, TLS_CERT_FILE: 'c.pem', TLS_KEY_FILE: 'k.pem' }))).toBe('max-age=31536000; includeSubDomains');
    expect(hstsValue(loadConfig({ ...base, TLS_CERT_FILE: 'c.pem', TLS_KEY_FILE: 'k.pem', TLS_HSTS_MAX_AGE_SECONDS: '0' }))).toBeNull();
  });

  it('warns loudly about plain HTTP on a non-loopback address in production only', () => {
    expect(plainHttpWarning(loadConfig({ ...prod, HOST: '0.0.0.0' }))).toMatch(/^!!! serving plain HTTP on 0\.0\.0\.0 in production/);
    expect(plainHttpWarning(loadConfig({ ...prod, HOST: '127.0.0.1' }))).toBeNull();
    expect(plainHttpWarning(loadConfig({ ...prod, HOST: '::1' }))).toBeNull();
    expect(plainHttpWarning(loadConfig({ ...prod, HOST: '0.0.0.0', TLS_CERT_FILE: 'c.pem', TLS_KEY_FILE: 'k.pem' }))).toBeNull();
    expect(plainHttpWarning(loadConfig({ ...base, HOST: '0.0.0.0' }))).toBeNull();
  });

  it('knows the loopback addresses', () => {
    expect(['127.0.0.1', '127.8.9.10', '::1', 'localhost'].every(isLoopbackHost)).toBe(true);
    expect(['0.0.0.0', '10.0.0.1', '::', 'example.com'].some(isLoopbackHost)).toBe(false);
  });
});
