import { hashPassword } from '../accounts/passwords.ts';
import { createAccountsStore } from '../accounts/store.ts';
import type { Services } from '../app.ts';
import type { Clock } from '../platform/clock.ts';
import type { DatabaseHandle } from '../platform/db.ts';
import type { OrgKind, OrgRole, PlatformRole, ReturnPolicy } from '../platform/db-types.ts';
import { newId } from '../platform/ids.ts';
import { orderPayload } from '../commerce/orders.ts';
import { createOrgsStore } from '../orgs/store.ts';
import { makeIdNumber } from '../streamers/idcard.ts';

/** Every demo account uses this password; the README lists the accounts. */
export const DEMO_PASSWORD = 'Demo@2026';

export const DEMO_ACCOUNTS = {
  operator: { login: 'operator@zhibo.local', name: '平台运营·周敏', role: 'operator' },
  foodBrand: { login: 'brand-food@zhibo.local', name: '德兴斋·陈经理', role: 'viewer' },
  beautyBrand: { login: 'brand-beauty@zhibo.local', name: '玉兰凝肌·林总监', role: 'viewer' },
  mcn: { login: 'mcn@zhibo.local', name: '星火互娱·王经纪', role: 'viewer' },
  streamerFood: { login: '13800000001', name: '小林说吃', role: 'viewer' },
  streamerBeauty: { login: '13800000002', name: '阿May美妆', role: 'viewer' },
  base: { login: 'base@zhibo.local', name: '虹桥基地·赵主管', role: 'viewer' },
  training: { login: 'training@zhibo.local', name: '海上学院·孙老师', role: 'viewer' },
  viewer: { login: '13900000001', name: '观众小王', role: 'viewer' },
} as const satisfies Record<string, { login: string; name: string; role: PlatformRole }>;

type DemoKey = keyof typeof DEMO_ACCOUNTS;

/** Seeds the demo on first start. Returns false when the demo operator already exists. */
export async function seedDemoData(services: Services, database: DatabaseHandle, clock: Clock): Promise<boolean> {
  const accountsStore = createAccountsStore(database.db);
  const orgsStore = createOrgsStore(database.db);
  if (await accountsStore.findUserByLogin({ kind: 'email', value: DEMO_ACCOUNTS.operator.login })) return false;

  const now = clock.now();
  const iso = now.toISOString();
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const ids = {} as Record<DemoKey, string>;
  for (const [key, account] of Object.entries(DEMO_ACCOUNTS) as [DemoKey, (typeof DEMO_ACCOUNTS)[DemoKey]][]) {
    ids[key] = newId();
    const isEmail = account.login.includes('@');
    await accountsStore.insertUser({
      id: ids[key],
      phone: isEmail ? null : account.login,
      email: isEmail ? account.login : null,
      password_hash: passwordHash,
      display_name: account.name,
      platform_role: account.role,
      locale: 'zh-CN',
      failed_logins: 0,
      locked_until: null,
      created_at: iso,
      updated_at: iso,
    });
  }

  const org = async (owner: DemoKey, kind: OrgKind, name: string, description: string, licence?: [string, string]) => {
    const created = await services.orgs.create(ids[owner], {
      kind,
      name,
      description,
      licenceName: licence?.[0],
      licenceNo: licence?.[1],
    });
    await services.orgs.review(created.id, 'approve', '资质齐全 / documents complete', ids.operator);
    return created.id;
  };
  const foodBrand = await org('foodBrand', 'brand', '德兴斋', '创立于 1878 年的上海老字号糕点品牌，鲜肉月饼、蝴蝶酥、八宝饭。', ['上海德兴斋食品有限公司', '91310101MA1FPX1234']);
  const beautyBrand = await org('beautyBrand', 'brand', '玉兰凝肌', '以白玉兰提取物为核心的国货护肤品牌。', ['上海玉兰凝肌生物科技有限公司', '91310115MA1H8Y5678']);
  const mcn = await org('mcn', 'mcn', '星火互娱 MCN', '专注食品与美妆赛道的直播电商机构，签约主播 2 名。', ['上海星火互娱文化传媒有限公司', '91310104MA7B2C9012']);
  const base = await org('base', 'base', '虹桥直播电商基地', '市级直播电商基地，8 个专业直播间，服务品牌、MCN 与服务机构入驻。', ['上海虹桥直播产业园管理有限公司', '91310112MA1GBD3456']);
  await org('training', 'training', '海上直播电商学院', '互联网营销师（直播销售员）职业技能培训与认证。', ['上海海上职业技能培训有限公司', '52310000MJ4G7P8901']);

  const addMember = (orgId: string, key: DemoKey, role: OrgRole) => orgsStore.addMember(orgId, ids[key], role, iso);
  await addMember(mcn, 'streamerFood', 'streamer');
  await addMember(mcn, 'streamerBeauty', 'streamer');

  await services.streamers.submit(ids.streamerFood, { realName: '林晓', idNumber: makeIdNumber('310104', '1996-03-18', '021') });
  await services.streamers.submit(ids.streamerBeauty, { realName: '梅子涵', idNumber: makeIdNumber('310115', '1999-11-02', '048') });
  await services.streamers.review(ids.streamerFood, 'approve', '实名信息核验通过', ids.operator);
  await services.streamers.review(ids.streamerBeauty, 'approve', '实名信息核验通过', ids.operator);

  const productsOf = new Map<string, { id: string; skuIds: string[]; prices: number[] }[]>();
  const product = async (brandId: string, title: string, category: string, returnPolicy: ReturnPolicy, description: string, skus: [Record<string, string>, number, number][]) => {
    const productId = newId();
    const skuIds = skus.map(() => newId());
    productsOf.set(brandId, [...(productsOf.get(brandId) ?? []), { id: productId, skuIds, prices: skus.map(([, price]) => price) }]);
    await services.catalog.insertProduct(
      { id: productId, brand_org_id: brandId, title, description, category, images: '[]', return_policy: returnPolicy, status: 'on_sale', created_at: iso },
      skus.map(([spec, priceFen, stock], i) => ({ id: skuIds[i]!, product_id: productId, spec: JSON.stringify(spec), price_fen: priceFen, stock, created_at: iso })),
    );
  };
  await product(foodBrand, '德兴斋鲜肉月饼', '食品/糕点', 'excluded', '现烤现发，酥皮千层，鲜肉多汁。生鲜易腐，不适用七天无理由退货。', [
    [{ 规格: '6 只装' }, 3980, 500],
    [{ 规格: '12 只装' }, 7580, 300],
  ]);
  await product(foodBrand, '德兴斋蝴蝶酥礼盒', '食品/糕点', 'standard', '法式黄油蝴蝶酥，独立密封包装，保质期 90 天。', [
    [{ 规格: '250g 铁盒' }, 6800, 800],
    [{ 规格: '500g 礼盒' }, 12800, 400],
  ]);
  await product(foodBrand, '德兴斋八宝饭', '食品/糕点', 'excluded', '豆沙猪油八宝饭，冷链配送。', [[{ 规格: '450g×2' }, 5990, 600]]);
  await product(beautyBrand, '玉兰凝肌焕亮精华液', '美妆/护肤', 'confirm', '白玉兰提取物 + 烟酰胺。拆封后影响卫生安全，经确认可不适用七天无理由退货。', [
    [{ 容量: '30ml' }, 29900, 1000],
    [{ 容量: '50ml' }, 45900, 600],
  ]);
  await product(beautyBrand, '玉兰凝肌丝绒唇釉', '美妆/彩妆', 'confirm', '丝绒雾面质地，持妆 8 小时。', [
    [{ 色号: '#01 玉兰粉' }, 15900, 700],
    [{ 色号: '#05 海棠红' }, 15900, 700],
    [{ 色号: '#09 枫叶棕' }, 15900, 500],
  ]);
  await product(beautyBrand, '玉兰凝肌舒缓面霜', '美妆/护肤', 'standard', '敏感肌可用，50g。', [[{ 容量: '50g' }, 19900, 900]]);

  const studio = (name: string, area: number, equipment: string[], scenes: string[], rate: number) =>
    services.bases.insertStudio({ id: newId(), base_org_id: base, name, area_sqm: area, equipment: JSON.stringify(equipment), scenes: JSON.stringify(scenes), hourly_rate_fen: rate, created_at: iso });
  await studio('A1 美妆直播间', 36, ['4K 摄像机 ×2', '环形补光灯', '提词器', '声卡与领夹麦'], ['美妆台', '白色简约'], 30000);
  await studio('B2 食品厨房直播间', 60, ['4K 摄像机 ×3', '顶光与侧光', '现场收音', '操作台'], ['中式厨房', '老上海弄堂'], 45000);
  await studio('C3 绿幕直播间', 48, ['绿幕', '虚拟背景工作站', '4K 摄像机 ×2'], ['虚拟场景'], 38000);

  const hour = 3_600_000;
  const session = async (streamer: DemoKey, brandId: string, title: string, inHours: number) => {
    const created = await services.live.create(ids[streamer], {
      title,
      description: '',
      brandOrgId: brandId,
      // On the quarter hour, a few hours ahead.
      scheduledAt: new Date(Math.ceil((now.getTime() + inHours * hour) / (15 * 60_000)) * 15 * 60_000).toISOString(),
    });
    // The 小黄车: every product of the brand, in order; the first SKU of 2号链接 at a live price 10% off.
    const list = productsOf.get(brandId) ?? [];
    await database.db
      .insertInto('session_products')
      .values(list.map((p, i) => ({ session_id: created.session.id, product_id: p.id, link: i + 1, live_prices: JSON.stringify(i === 1 ? { [p.skuIds[0]!]: Math.round((p.prices[0]! * 0.9) / 10) * 10 } : {}), added_at: iso, commission_bps: 2000 })))
      .execute();
    return created;
  };
  await session('streamerFood', foodBrand, '老字号鲜肉月饼现烤直播：新品首发', 2);
  await session('streamerFood', foodBrand, '德兴斋蝴蝶酥工厂溯源专场', 26);
  await session('streamerBeauty', beautyBrand, '玉兰凝肌秋冬护肤专场 · 五五购物节预热', 5);
  await session('streamerBeauty', beautyBrand, '唇釉试色：三支新色首发', 50);
  await seedLedger();
  return true;

  /**
   * The ledger (docs/LEDGER.md): both streamers signed to 星火互娱 at a 30 % split, a past live each
   * with 20 % commission on its 小黄车, and orders from it paid and completed long enough ago to
   * settle, plus one still inside its T+7 window; then the ledger consumer and a settlement run.
   */
  async function seedLedger() {
    const day = 86_400_000;
    const ago = (days: number) => new Date(now.getTime() - days * day).toISOString();
    for (const streamer of ['streamerFood', 'streamerBeauty'] as const) {
      await database.db
        .insertInto('mcn_contracts')
        .values({ id: newId(), mcn_org_id: mcn, streamer_id: ids[streamer], split_bps: 3000, exclusive: 1, starts_at: ago(60), ends_at: null, status: 'accepted', created_at: ago(61), accepted_at: ago(60) })
        .execute();
    }
    const address = JSON.stringify({ name: '王小明', phone: '13912345678', region: '上海市 静安区', detail: '南京西路 1 号' });
    const pastLive = async (streamer: DemoKey, brandId: string, title: string, orders: { daysAgo: number; lines: [number, number, number][] }[]) => {
      const sessionId = newId();
      await database.db.insertInto('live_sessions').values({ id: sessionId, streamer_id: ids[streamer], brand_org_id: brandId, title, cover_url: null, status: 'ended', scheduled_at: ago(20), started_at: ago(20), ended_at: ago(20), created_at: ago(21) }).execute();
      const list = productsOf.get(brandId) ?? [];
      await database.db.insertInto('session_products').values(list.map((p, i) => ({ session_id: sessionId, product_id: p.id, link: i + 1, live_prices: '{}', added_at: ago(21), commission_bps: 2000 }))).execute();
      for (const order of orders) {
        // [product index, sku index, quantity]
        const lines = order.lines.map(([pi, si, quantity]) => {
          const p = list[pi]!;
          return { id: newId(), product_id: p.id, sku_id: p.skuIds[si]!, quantity, unit: p.prices[si]! };
        });
        const items = lines.reduce((sum, l) => sum + l.unit * l.quantity, 0);
        const paidAt = ago(order.daysAgo);
        const completedAt = ago(order.daysAgo - 2);
        const row = {
          ...services.commerce.orders.newOrderRow({ id: newId(), buyer_id: ids.viewer, brand_org_id: brandId, session_id: sessionId, flash_sale_id: null, items_total_fen: items, discount_fen: 0, shipping_fen: 0, total_fen: items, user_coupon_id: null, coupon_title: null, address, confirmed_no_return: 1, idempotency_key: null, request_hash: null }),
          status: 'completed' as const,
          pay_deadline: paidAt,
          paid_at: paidAt,
          shipped_at: ago(order.daysAgo - 1),
          carrier: '顺丰速运',
          tracking_no: `SF${Math.floor(Math.random() * 1e12)}`,
          delivered_at: completedAt,
          completed_at: completedAt,
          created_at: paidAt,
          updated_at: completedAt,
        };
        await database.db.transaction().execute(async (trx) => {
          await trx.insertInto('orders').values(row).execute();
          const titles = new Map((await trx.selectFrom('products').select(['id', 'title', 'return_policy']).where('id', 'in', lines.map((l) => l.product_id)).execute()).map((p) => [p.id, p]));
          await trx
            .insertInto('order_items')
            .values(lines.map((l) => ({ id: l.id, order_id: row.id, product_id: l.product_id, sku_id: l.sku_id, title: titles.get(l.product_id)!.title, spec: '{}', image: null, unit_price_fen: l.unit, quantity: l.quantity, paid_fen: l.unit * l.quantity, refunded_fen: 0, return_policy: titles.get(l.product_id)!.return_policy })))
            .execute();
          // The facts as commerce records them (docs/EVENTS.md), for the ledger to read.
          const items = lines.map((l) => ({ id: l.id, product_id: l.product_id, sku_id: l.sku_id, quantity: l.quantity, paid_fen: l.unit * l.quantity }));
          await trx
            .insertInto('business_events')
            .values([
              { id: newId(), type: 'order.paid', subject_id: row.id, payload: JSON.stringify(orderPayload({ ...row, status: 'paid' }, items)), occurred_at: paidAt },
              { id: newId(), type: 'order.completed', subject_id: row.id, payload: JSON.stringify(orderPayload(row)), occurred_at: completedAt },
            ])
            .execute();
        });
      }
    };
    await pastLive('streamerFood', foodBrand, '中秋鲜肉月饼专场（回放）', [
      { daysAgo: 19, lines: [[0, 1, 2], [1, 0, 1]] },
      { daysAgo: 18, lines: [[1, 1, 1]] },
      { daysAgo: 3, lines: [[2, 0, 2]] },
    ]);
    await pastLive('streamerBeauty', beautyBrand, '玉兰凝肌精华液首发（回放）', [
      { daysAgo: 17, lines: [[0, 0, 1], [2, 0, 1]] },
      { daysAgo: 16, lines: [[1, 1, 2]] },
    ]);
    await services.events.drain();
    await services.ledger.settlement.runDue('sweep');
  }
}
