import { describe, expect, it } from 'vitest';
import { demoPasswordForBanner } from './demo-seed.ts';

// Issue 15, finding 9: a production start never writes the demo password to its output.
describe('the demo password in the start banner', () => {
  const demo = { password: 'generated-secret-1' };

  it('is shown in development, where the quick start tells people to look for it', () => {
    expect(demoPasswordForBanner(demo, { env: 'development', dataDir: '/data', demoPassword: undefined })).toBe('generated-secret-1');
  });

  it('is never shown in production: the banner names where it is kept instead', () => {
    const production = demoPasswordForBanner(demo, { env: 'production', dataDir: '/data', demoPassword: undefined });
    expect(production).not.toContain('generated-secret-1');
    expect(production).toContain('/data/demo-credentials.json');
    const fromEnv = demoPasswordForBanner({ password: 'operator-chosen-1' }, { env: 'production', dataDir: '/data', demoPassword: 'operator-chosen-1' });
    expect(fromEnv).not.toContain('operator-chosen-1');
  });
});
