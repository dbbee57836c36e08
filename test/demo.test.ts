import { expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemoData } from '../server/demo/seed.ts';
import { DEMO_STORE_STAFF } from '../server/vouchers/demo.ts';
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

    it('has a 五五购物节 pre-sale in a 玉兰凝肌 live, with the demo viewer’s deposit paid (docs/PRESALE.md)', async () => {
      const viewer = server().client();
      await viewer.login(DEMO_ACCOUNTS.viewer.login, DEMO_PASSWORD);
      const [po] = (await viewer.get('/api/me/presale-orders')).json().presaleOrders;
      expect(po).toMatchObject({ status: 'deposit_paid', depositFen: 5000, balanceFen: 29900, presale: { depositFen: 5000, expansionFen: 10000, finalPriceFen: 39900 } });
      expect((await server().client().get(`/api/rooms/${po.presale.sessionId}/presales`)).json().presales.map((p: { id: string }) => p.id)).toEqual([po.presale.id]);
    });

    it('has a 五五购物节 上海首发 launch the demo viewer reserved, with notifications in their centre (docs/LAUNCHES.md)', async () => {
      const viewer = server().client();
      await viewer.login(DEMO_ACCOUNTS.viewer.login, DEMO_PASSWORD);
      const [launch] = (await viewer.get('/api/launches')).json().launches;
      expect(launch).toMatchObject({ level: 'shanghai', reserved: true, reservations: 4, firstRelease: { stock: 300, perUserLimit: 2 }, session: { status: 'scheduled' } });
      expect((await viewer.get('/api/notifications')).json().unread).toBeGreaterThanOrEqual(2);
    });

    it('has 德兴斋’s set-meal voucher in a live, the viewer’s unused code, a store staff account, and a 全球首店 (docs/VOUCHERS.md)', async () => {
      const viewer = server().client();
      await viewer.login(DEMO_ACCOUNTS.viewer.login, DEMO_PASSWORD);
      const codes = (await viewer.get('/api/me/vouchers')).json().vouchers as { status: string; title: string }[];
      expect(codes.map((c) => c.status).sort()).toEqual(['redeemed', 'unused']);
      const staff = server().client();
      await staff.login(DEMO_STORE_STAFF.login, DEMO_PASSWORD);
      expect((await staff.get('/api/staff/stores')).json().stores).toHaveLength(2);
      expect((await server().client().get('/api/first-stores')).json().firstStores).toEqual([expect.objectContaining({ level: 'global', coupon: expect.objectContaining({ left: 500 }) })]);
    });

    it('has an Australian milk powder (保税备货) in a 德兴斋 live, and the demo viewer verified for cross-border orders (docs/CROSSBORDER.md)', async () => {
      const viewer = server().client();
      await viewer.login(DEMO_ACCOUNTS.viewer.login, DEMO_PASSWORD);
      expect((await viewer.get('/api/crossborder/identity')).json().identity).toMatchObject({ realName: '王小满' });
      const product = await server().database.db.selectFrom('products').select(['id']).where('kind', '=', 'crossborder').executeTakeFirstOrThrow();
      expect((await viewer.get(`/api/crossborder/products/${product.id}`)).json().product).toMatchObject({ originCountry: 'AU', mode: 'bonded', retailRateBp: 910 });
      const listed = await server().database.db.selectFrom('session_products').select('session_id').where('product_id', '=', product.id).execute();
      expect(listed).toHaveLength(1);
    });

    it('seeds only once', async () => {
      expect(await seedDemoData(server().services, server().database, server().clock)).toBe(false);
      expect((await server().client().get('/api/live-sessions')).json().sessions).toHaveLength(4);
    });
  },
  { demo: true },
);
