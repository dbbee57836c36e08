// SQLite's WAL checkpoints run in a thread of their own (server/platform/db.ts, SQLITE_CHECKPOINT_MS): what a
// commit wrote reaches the database file without the node's own connection checkpointing.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../server/platform/db.ts';

describe('SQLite checkpoints', () => {
  const opened: { handle: DatabaseHandle; dir: string }[] = [];
  afterEach(async () => {
    for (const { handle, dir } of opened.splice(0)) {
      await handle.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  const open = (sqliteCheckpointMs: number) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zb-checkpoint-'));
    const handle = openDatabase({ url: `sqlite:${path.join(dir, 'z.db')}`, dataDir: dir, sqliteCheckpointMs });
    opened.push({ handle, dir });
    return { sqlite: handle.sqlite!, file: path.join(dir, 'z.db') };
  };
  /** ~600 pages of rows in one commit: below both connections' own checkpoint thresholds. */
  const write = (sqlite: ReturnType<typeof open>['sqlite']) => {
    sqlite.exec('create table t (id integer primary key, body text not null)');
    const insert = sqlite.prepare('insert into t (body) values (?)');
    sqlite.transaction(() => {
      for (let i = 0; i < 2000; i++) insert.run('x'.repeat(1000));
    })();
  };

  it('copies committed pages into the database file from its own thread', async () => {
    const { sqlite, file } = open(50);
    write(sqlite);
    const deadline = Date.now() + 10_000;
    while (fs.statSync(file).size < 2_000_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(fs.statSync(file).size).toBeGreaterThan(2_000_000);
    expect((sqlite.prepare('select count(*) as n from t').get() as { n: number }).n).toBe(2000);
  });

  it('with SQLITE_CHECKPOINT_MS=0 leaves them in the WAL until SQLite checkpoints at a commit', async () => {
    const { sqlite, file } = open(0);
    write(sqlite);
    await new Promise((r) => setTimeout(r, 500));
    expect(fs.statSync(file).size).toBeLessThan(1_000_000);
    expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(2_000_000);
  });
});
