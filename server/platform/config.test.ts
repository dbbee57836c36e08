import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

const load = (env: Record<string, string>) => loadConfig(env, '/nonexistent-dir-for-dotenv');

describe('configuration', () => {
  it('has defaults for a one-command start', () => {
    const config = load({});
    expect(config).toMatchObject({ PORT: 8080, HOST: '127.0.0.1', DEMO_DATA: true, DATABASE_URL: undefined, REDIS_URL: undefined });
    expect(config.dataDir).toBe('/nonexistent-dir-for-dotenv/data');
  });

  it('names each bad variable and says what it expects', () => {
    try {
      load({ PORT: 'eighty', DEMO_DATA: 'maybe', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const text = (error as Error).message;
      expect(text).toMatch(/PORT="eighty": expected number/);
      expect(text).toMatch(/DEMO_DATA="maybe"/);
      expect(text).toMatch(/DATABASE_URL="mysql:\/\/x": expected a postgres:\/\/… URL, or sqlite:<file>/);
      expect(text).toMatch(/LOG_LEVEL="loud": expected one of "fatal"/);
    }
  });

  it('refuses a port out of range and a short secret', () => {
    expect(() => load({ PORT: '70000' })).toThrow(/PORT="70000": expected a value <= 65535/);
    expect(() => load({ SECRET_KEY: 'short' })).toThrow(/SECRET_KEY="short": .*at least 32 characters/);
  });

  it('reads booleans and lists', () => {
    const config = load({ DEMO_DATA: 'off', ALLOWED_ORIGINS: 'https://a.example, https://b.example' });
    expect(config.DEMO_DATA).toBe(false);
    expect(config.ALLOWED_ORIGINS).toEqual(['https://a.example', 'https://b.example']);
  });
});
