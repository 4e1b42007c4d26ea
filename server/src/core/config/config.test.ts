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
});
