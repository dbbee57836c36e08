// The demo's books: a newcomer logged in as the brand, the MCN, a streamer or the operator sees
// balances and statement lines from the seeded past orders.
import { expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../server/demo/seed.ts';
import { describeEachDatabase } from './helpers/each-database.ts';

describeEachDatabase(
  'demo ledger',
  ({ server }) => {
    const login = async (key: keyof typeof DEMO_ACCOUNTS) => {
      const client = server().client();
      await client.login(DEMO_ACCOUNTS[key].login, DEMO_PASSWORD);
      return client;
    };
    const orgOf = async (client: Awaited<ReturnType<typeof login>>) => (await client.get('/api/me/orgs')).json().memberships[0].org.id as string;

    it('shows every party its settled money, and the base’s studio charges', async () => {
      // As after `npm start`, where the base's sweep runs once the demo is seeded: the demo base's ended bookings charged.
      await server().services.bases.fees.chargeDue();
      type Entry = { kind: string; amountFen: number };
      const sum = (entries: Entry[], kind: string) => entries.filter((e) => e.kind === kind).reduce((t, e) => t + e.amountFen, 0);
      const KINDS = ['settlement', 'slot_fee', 'studio_fee', 'studio_cancel_fee'];
      for (const key of ['streamerFood', 'streamerBeauty'] as const) {
        const me = (await (await login(key)).get('/api/me/ledger')).json();
        expect(me.entries.length).toBeGreaterThanOrEqual(2);
        // Commission from settled orders; 阿May美妆 also has the slot fee 玉兰凝肌 paid her (docs/COOPERATION.md), and pays
        // for the studios she booked for herself at the demo base (docs/BASES.md).
        expect(me.entries.every((e: Entry) => KINDS.includes(e.kind))).toBe(true);
        expect(sum(me.entries, 'settlement')).toBeGreaterThan(0);
      }
      for (const key of ['foodBrand', 'beautyBrand', 'mcn'] as const) {
        const client = await login(key);
        const statement = (await client.get(`/api/orgs/${await orgOf(client)}/ledger`)).json();
        expect(statement.entries.length).toBeGreaterThanOrEqual(2);
        expect(sum(statement.entries, 'settlement')).toBeGreaterThan(0);
      }
      const mcn = await login('mcn');
      const food = (await (await login('streamerFood')).get('/api/me/ledger')).json();
      const beauty = (await (await login('streamerBeauty')).get('/api/me/ledger')).json();
      // 30 % of the commission goes to the MCN, 70 % stays with the streamer.
      const mcnSettled = sum((await mcn.get(`/api/orgs/${await orgOf(mcn)}/ledger`)).json().entries, 'settlement');
      const commission = sum(food.entries, 'settlement') + sum(beauty.entries, 'settlement') + mcnSettled;
      expect(Math.abs(mcnSettled - Math.round(commission * 0.3))).toBeLessThanOrEqual(5);
      // The demo base received its studio charges.
      const charged = await server().database.db.selectFrom('ledger_transfers').select('kind').where('kind', 'in', ['studio_fee', 'studio_cancel_fee']).execute();
      expect(new Set(charged.map((c) => c.kind))).toEqual(new Set(['studio_fee', 'studio_cancel_fee']));
      const op = (await (await login('operator')).get('/api/admin/ledger')).json();
      expect(op.platformFeesFen).toBeGreaterThan(0);
      // One order is still inside its T+7 window: its money waits in clearing.
      expect(op.clearingFen).toBeGreaterThan(0);
      expect(op.verify).toMatchObject({ journalSum: 0, mismatches: [], unbalancedTransfers: [], orphanPostings: [] });
      expect(op.runs.length).toBe(1);
    });
  },
  { demo: true },
);
