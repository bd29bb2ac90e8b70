import { loadConfig, ConfigError, redactedConfig, CONFIG_VARIABLES } from './config';

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

describe('.env.example', () => {
  it('documents every configuration variable', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const text: string = require('node:fs').readFileSync(require('node:path').join(__dirname, '..', '..', '..', '.env.example'), 'utf8');
    const documented = new Set([...text.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
    const missing = CONFIG_VARIABLES.filter((v) => !documented.has(v));
    expect(missing).toEqual([]);
  });
});
