import { afterAll, beforeAll, describe } from 'vitest';
import type { Dialect } from '../../server/platform/db.ts';
import { requireService } from './env.ts';
import { startTestServer, type StartOptions, type TestServer } from './server.ts';

const postgres = await requireService('postgres');

/**
 * Runs a suite once on SQLite and once on PostgreSQL, each on a fresh database of its own.
 * Off CI, the PostgreSQL run skips (with the reason printed) when no server answers.
 */
export function describeEachDatabase(
  name: string,
  suite: (ctx: { server: () => TestServer; dialect: Dialect }) => void,
  { timeoutMs, ...options }: Omit<StartOptions, 'dialect'> & { timeoutMs?: number } = {},
) {
  for (const dialect of ['sqlite', 'postgres'] as const) {
    const skip = dialect === 'postgres' && !postgres.ok;
    describe.skipIf(skip)(`${name} [${dialect}]`, { timeout: timeoutMs }, () => {
      let server: TestServer | undefined;
      beforeAll(async () => {
        server = await startTestServer({ dialect, ...options });
      });
      afterAll(async () => {
        await server?.close();
      });
      suite({ server: () => server!, dialect });
    });
  }
}
