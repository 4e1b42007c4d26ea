import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../core/config/index.ts';

describe('AI provider configuration', () => {
  it('defaults to no keys, so every bot answers offline', () => {
    const { ai } = loadConfig({});
    expect(ai).toEqual({
      openai: { apiKey: undefined, baseUrl: undefined },
      anthropic: { apiKey: undefined, baseUrl: undefined },
      openaiCompatible: { apiKey: undefined, allowedOrigins: [] },
      firstTokenTimeoutMs: 15_000,
      idleTimeoutMs: 30_000,
      retries: 1,
      offlineLastResort: true,
    });
  });

  it('reads keys, base URLs and limits, trimming pasted whitespace from keys', () => {
    const { ai } = loadConfig({
      OPENAI_API_KEY: ' sk-abc\n',
      OPENAI_BASE_URL: 'https://gateway.example.com/v1',
      ANTHROPIC_API_KEY: 'sk-ant',
      OPENAI_COMPATIBLE_API_KEY: 'local',
      OPENAI_COMPATIBLE_ALLOWED_ORIGINS: 'http://localhost:11434',
      MASCOT_AI_FIRST_TOKEN_TIMEOUT_MS: '2500',
      MASCOT_AI_RETRIES: '0',
      MASCOT_AI_OFFLINE_LAST_RESORT: 'false',
    });
    expect(ai.openai).toEqual({ apiKey: 'sk-abc', baseUrl: 'https://gateway.example.com/v1' });
    expect(ai.anthropic.apiKey).toBe('sk-ant');
    expect(ai.openaiCompatible).toEqual({ apiKey: 'local', allowedOrigins: ['http://localhost:11434'] });
    expect(ai).toMatchObject({ firstTokenTimeoutMs: 2500, retries: 0, offlineLastResort: false });
  });

  it('refuses a compatible key without the origins allowed to receive it', () => {
    expect(() => loadConfig({ OPENAI_COMPATIBLE_API_KEY: 'k' })).toThrow(ConfigError);
    expect(() => loadConfig({ OPENAI_COMPATIBLE_API_KEY: 'k' })).toThrow(/OPENAI_COMPATIBLE_ALLOWED_ORIGINS/);
  });

  it('names invalid AI settings clearly', () => {
    expect(() => loadConfig({ ANTHROPIC_BASE_URL: 'api.anthropic.com', MASCOT_AI_RETRIES: '9' })).toThrow(
      /ANTHROPIC_BASE_URL: must start with http:\/\/ or https:\/\/[^]*MASCOT_AI_RETRIES/,
    );
  });
});
