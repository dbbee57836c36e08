import { expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemoData } from '../server/demo/seed.ts';
import { describeEachDatabase } from './helpers/each-database.ts';

describeEachDatabase(
  'demo data',
  ({ server }) => {
    it('lets every demo account in with the README password', async () => {
      for (const account of Object.values(DEMO_ACCOUNTS)) {
        const user = await server().client().login(account.login, DEMO_PASSWORD);
        expect(user).toMatchObject({ displayName: account.name });
      }
    });

    it('has two approved streamers signed to the MCN, and upcoming sessions on the home page', async () => {
      const mcn = server().client();
      await mcn.login(DEMO_ACCOUNTS.mcn.login, DEMO_PASSWORD);
      const [membership] = (await mcn.get('/api/me/orgs')).json().memberships;
      expect(membership.org).toMatchObject({ kind: 'mcn', status: 'approved' });
      const streamers = (await mcn.get(`/api/orgs/${membership.org.id}/streamers`)).json().streamers;
      expect(streamers.map((s: { displayName: string; verification: string }) => [s.displayName, s.verification])).toEqual([
        ['小林说吃', 'approved'],
        ['阿May美妆', 'approved'],
      ]);
      const sessions = (await server().client().get('/api/live-sessions?status=scheduled')).json().sessions;
      expect(sessions).toHaveLength(4);
      for (const session of sessions) expect(Date.parse(session.scheduledAt)).toBeGreaterThan(server().clock.now().getTime());
      expect(sessions.map((s: { brand: { name: string } }) => s.brand.name).sort()).toEqual(['德兴斋', '德兴斋', '玉兰凝肌', '玉兰凝肌']);
    });

    it('has two brands with products, SKUs and prices in integer fen, and a base with studios', async () => {
      for (const key of ['foodBrand', 'beautyBrand'] as const) {
        const client = server().client();
        await client.login(DEMO_ACCOUNTS[key].login, DEMO_PASSWORD);
        const [membership] = (await client.get('/api/me/orgs')).json().memberships;
        expect(membership.org.licenceNo).toMatch(/^[0-9A-Z]{18}$/);
        const products = (await client.get(`/api/orgs/${membership.org.id}/products`)).json().products;
        expect(products.length).toBeGreaterThanOrEqual(3);
        for (const product of products) {
          expect(product.skus.length).toBeGreaterThanOrEqual(1);
          for (const sku of product.skus) expect(Number.isInteger(sku.priceFen) && sku.priceFen > 0).toBe(true);
        }
      }
      const base = server().client();
      await base.login(DEMO_ACCOUNTS.base.login, DEMO_PASSWORD);
      const [membership] = (await base.get('/api/me/orgs')).json().memberships;
      // Eight studios: the three above and five more from the bases demo (server/bases/demo.ts).
      expect((await base.get(`/api/orgs/${membership.org.id}/studios`)).json().studios).toHaveLength(8);
    });

    it('seeds only once', async () => {
      expect(await seedDemoData(server().services, server().database, server().clock)).toBe(false);
      expect((await server().client().get('/api/live-sessions')).json().sessions).toHaveLength(4);
    });
  },
  { demo: true },
);
