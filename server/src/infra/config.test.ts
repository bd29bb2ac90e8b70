import { loadConfig, ConfigError, redactedConfig } from './config';

const base = { MONGODB_URI: 'mongodb://127.0.0.1:27017/' };

describe('configuration', () => {
  it('fills defaults', () => {
    const c = loadConfig(base);
    expect(c.PORT).toBe(4000);
    expect(c.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('names the variable and the problem when a value is malformed', () => {
    expect(() => loadConfig({ ...base, PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({})).toThrow(/MONGODB_URI is required/);
  });

  it('refuses development secrets in production', () => {
    expect(() => loadConfig({ ...base, NODE_ENV: 'production' })).toThrow(/LATCHKEY_KEY_PEPPER/);
  });

  it('redacts secrets for logging', () => {
    const r = redactedConfig(loadConfig(base));
    expect(r.LATCHKEY_KEY_PEPPER).toBe('[redacted]');
    expect(r.LATCHKEY_KEK).toBe('[redacted]');
  });
});
