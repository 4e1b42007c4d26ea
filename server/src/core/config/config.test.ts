import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('falls back to the embedded defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.port).toBe(4000);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.natsUrl).toBeUndefined();
    expect(config.dataDir).toMatch(/\.mascot\/data$/);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', NATS_URL: ' ' }).databaseUrl).toBeUndefined();
  });

  it('names every invalid variable in one clear message', () => {
    expect(() => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x' })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x' });
    } catch (error) {
      expect(String(error)).toMatch(/PORT/);
      expect(String(error)).toMatch(/DATABASE_URL: must start with postgres:\/\//);
    }
  });

  it('demands a JWT secret in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/MASCOT_JWT_SECRET is required/);
  });

  it('seeds the demo account by default in development only, and wherever MASCOT_SEED_DEMO asks', () => {
    const production = { NODE_ENV: 'production', MASCOT_JWT_SECRET: 'x'.repeat(32) };
    expect(loadConfig({}).seedDemo).toBe(true);
    expect(loadConfig(production).seedDemo).toBe(false);
    expect(loadConfig({ ...production, MASCOT_SEED_DEMO: '' }).seedDemo).toBe(false);
    expect(loadConfig({ ...production, MASCOT_SEED_DEMO: 'true' }).seedDemo).toBe(true);
    expect(loadConfig({ MASCOT_SEED_DEMO: 'false' }).seedDemo).toBe(false);
  });

  it('allows no extra socket origins by default', () => {
    expect(loadConfig({}).allowedOrigins).toEqual([]);
  });

  it('reads MASCOT_ALLOWED_ORIGINS as a comma-separated list of normalised origins', () => {
    const config = loadConfig({ MASCOT_ALLOWED_ORIGINS: ' https://App.example.com:443/ , http://localhost:5173,' });
    expect(config.allowedOrigins).toEqual(['https://app.example.com', 'http://localhost:5173']);
  });

  it('names each entry of MASCOT_ALLOWED_ORIGINS that is not a bare http(s) origin', () => {
    const attempt = () => loadConfig({ MASCOT_ALLOWED_ORIGINS: 'https://ok.example, https://shop.example/path, *, ftp://files.example' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/MASCOT_ALLOWED_ORIGINS: "https:\/\/shop\.example\/path" is not an origin/);
    expect(attempt).toThrow(/"\*" is not an origin/);
    expect(attempt).toThrow(/"ftp:\/\/files\.example" is not an origin/);
  });

  it('trusts no proxy unless MASCOT_TRUST_PROXY says which', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ MASCOT_TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ MASCOT_TRUST_PROXY: '0' }).trustProxy).toBe(false);
    expect(loadConfig({ MASCOT_TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ MASCOT_TRUST_PROXY: 'loopback, 10.0.0.0/8,2001:db8::/32' }).trustProxy).toEqual(['loopback', '10.0.0.0/8', '2001:db8::/32']);
  });

  it('refuses MASCOT_TRUST_PROXY values that would trust every client or name no address', () => {
    expect(() => loadConfig({ MASCOT_TRUST_PROXY: 'true' })).toThrow(/MASCOT_TRUST_PROXY: true would let any client choose its address/);
    expect(() => loadConfig({ MASCOT_TRUST_PROXY: 'loopback,proxy.internal' })).toThrow(/MASCOT_TRUST_PROXY: invalid IP address: proxy\.internal/);
    expect(() => loadConfig({ MASCOT_TRUST_PROXY: '10.0.0.0/33' })).toThrow(/MASCOT_TRUST_PROXY: invalid range/);
  });
});

describe('loadConfig: private destinations for tenant-chosen URLs', () => {
  it('allows none by default, in production too', () => {
    expect(loadConfig({}).outbound.allowedPrivate).toEqual([]);
    expect(loadConfig({ NODE_ENV: 'production', MASCOT_JWT_SECRET: 'x'.repeat(32) }).outbound.allowedPrivate).toEqual([]);
  });

  it('reads MASCOT_OUTBOUND_ALLOWED_PRIVATE, with the older MASCOT_WEBHOOK_ALLOWED_PRIVATE_HOSTS as one list', () => {
    const config = loadConfig({ MASCOT_OUTBOUND_ALLOWED_PRIVATE: 'http://127.0.0.1:11434, 10.0.0.0/8', MASCOT_WEBHOOK_ALLOWED_PRIVATE_HOSTS: 'Hooks.Internal' });
    expect(config.outbound.allowedPrivate).toEqual([
      { kind: 'origin', origin: 'http://127.0.0.1:11434' },
      { kind: 'range', range: [expect.anything(), 8] },
      { kind: 'host', host: 'hooks.internal' },
    ]);
  });

  it('names each entry it cannot read', () => {
    expect(() => loadConfig({ MASCOT_OUTBOUND_ALLOWED_PRIVATE: 'http://10.0.0.5:11434/v1, 10.0.0.0/40' }))
      .toThrow(/MASCOT_OUTBOUND_ALLOWED_PRIVATE: "http:\/\/10\.0\.0\.5:11434\/v1" is not an origin[^]*MASCOT_OUTBOUND_ALLOWED_PRIVATE: "10\.0\.0\.0\/40" is not an address range/);
  });
});
