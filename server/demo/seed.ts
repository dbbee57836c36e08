import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashPassword } from '../accounts/passwords.ts';
import { createAccountsStore } from '../accounts/store.ts';
import type { Services } from '../app.ts';
import type { Clock } from '../platform/clock.ts';
import type { DatabaseHandle } from '../platform/db.ts';
import type { OrgKind, OrgRole, PlatformRole, ReturnPolicy } from '../platform/db-types.ts';
import { newId } from '../platform/ids.ts';
import { orderPayload } from '../commerce/views.ts';
import { createOrgsStore } from '../orgs/store.ts';
import { seedDemoPictures, type DemoArt } from '../pictures/demo.ts';
import { makeIdNumber } from '../streamers/idcard.ts';
import { recordingDir } from '../live/media/pipeline.ts';
import { seedCockpitDemo } from '../cockpit/demo.ts';
import { seedOpenPlatformDemo } from '../webhooks/demo.ts';
import { seedAnalyticsDemo } from '../analytics/demo.ts';
import { seedBasesDemo, seedBasesMoneyDemo, seedBrandLiveDemo } from '../bases/demo.ts';
import { seedBasePhotosDemo } from '../bases/photos-demo.ts';
import { seedTrainingDemo } from '../training/demo.ts';
import { seedTalentDemo } from '../talent/demo.ts';
import { seedVouchersDemo } from '../vouchers/demo.ts';
import { seedCrossBorderDemo } from '../crossborder/demo.ts';
import { seedPresaleDemo } from '../presale/demo.ts';
import { seedCampaignDemo } from '../campaigns/demo.ts';
import { seedAuctionDemo } from '../auctions/demo.ts';
import { seedLaunchDemo } from '../launches/demo.ts';
import { seedB2bDemo } from '../b2b/demo.ts';
import { seedOriginDemo } from '../origin/demo.ts';
import { seedExhibitionsDemo } from '../exhibitions/demo.ts';

/** The demo replays play their 6-second clip this many times (3 minutes), long enough for chapters. */
const DEMO_REPLAY_REPEATS = 30;

/** Every demo account uses this password; the README lists the accounts. */
export const DEMO_PASSWORD = 'Demo@2026';

export const DEMO_ACCOUNTS = {
  operator: { login: 'operator@zhibo.local', name: '平台运营·周敏', role: 'operator' },
  foodBrand: { login: 'brand-food@zhibo.local', name: '德兴斋·陈经理', role: 'viewer' },
  beautyBrand: { login: 'brand-beauty@zhibo.local', name: '玉兰凝肌·林总监', role: 'viewer' },
  homeBrand: { login: 'brand-home@zhibo.local', name: '棉田家居·何店长', role: 'viewer' },
  mcn: { login: 'mcn@zhibo.local', name: '星火互娱·王经纪', role: 'viewer' },
  streamerFood: { login: '13800000001', name: '小林说吃', role: 'viewer' },
  streamerBeauty: { login: '13800000002', name: '阿May美妆', role: 'viewer' },
  base: { login: 'base@zhibo.local', name: '虹桥基地·赵主管', role: 'viewer' },
  training: { login: 'training@zhibo.local', name: '海上学院·孙老师', role: 'viewer' },
  viewer: { login: '13900000001', name: '观众小王', role: 'viewer' },
  commission: { login: 'commission@zhibo.local', name: '市商务委·审阅员', role: 'commission' },
} as const satisfies Record<string, { login: string; name: string; role: PlatformRole }>;

type DemoKey = keyof typeof DEMO_ACCOUNTS;

/** Seeds the demo on first start. Returns false when the demo operator already exists. */
export async function seedDemoData(services: Services, database: DatabaseHandle, clock: Clock, options: { dataDir?: string } = {}): Promise<boolean> {
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
  const base = await org('base', 'base', '虹桥直播电商基地', '市级直播电商基地，8 个专业直播间（7 间对外预约），服务品牌、MCN 与服务机构入驻。', ['上海虹桥直播产业园管理有限公司', '91310112MA1GBD3456']);
  const trainingOrg = await org('training', 'training', '海上直播电商学院', '互联网营销师（直播销售员）职业技能培训与认证。', ['上海海上职业技能培训有限公司', '52310000MJ4G7P8901']);

  const addMember = (orgId: string, key: DemoKey, role: OrgRole) => orgsStore.addMember(orgId, ids[key], role, iso);
  await addMember(mcn, 'streamerFood', 'streamer');
  await addMember(mcn, 'streamerBeauty', 'streamer');
  // Each streamer also streams for her brand (role streamer): the brand's say that lets her lives name it (docs/API.md, "Live video").
  await addMember(foodBrand, 'streamerFood', 'streamer');
  await addMember(beautyBrand, 'streamerBeauty', 'streamer');

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
  // Pictures drawn at seed time and put through the upload pipeline (server/pictures/demo.ts).
  const [mooncakes, butterflyBox, eightTreasure] = productsOf.get(foodBrand)!;
  const [serum, lipGlaze, cream] = productsOf.get(beautyBrand)!;
  await seedDemoPictures(services.pictures, [
    { brandOrgId: foodBrand, productId: mooncakes!.id, art: ['mooncake', 'mooncakeBox'] },
    { brandOrgId: foodBrand, productId: butterflyBox!.id, art: ['giftBox'] },
    { brandOrgId: foodBrand, productId: eightTreasure!.id, art: ['eightTreasure'] },
    { brandOrgId: beautyBrand, productId: serum!.id, art: ['serum'] },
    { brandOrgId: beautyBrand, productId: lipGlaze!.id, art: ['lipstick'] },
    { brandOrgId: beautyBrand, productId: cream!.id, art: ['creamJar'] },
  ]);

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
  const foodFactoryLive = await session('streamerFood', foodBrand, '德兴斋蝴蝶酥工厂溯源专场', 26);
  const beautyAutumnLive = await session('streamerBeauty', beautyBrand, '玉兰凝肌秋冬护肤专场 · 五五购物节预热', 5);
  await session('streamerBeauty', beautyBrand, '唇釉试色：三支新色首发', 50);
  // The cockpit (docs/COCKPIT.md): three presets, and 星火互娱's 王经纪 as 小林说吃's 场控.
  await seedCockpitDemo(database.db, { streamerId: ids.streamerFood, assistantId: ids.mcn, at: iso });
  await seedLedger();
  await seedCooperation();
  await seedDiscovery();
  // After the replays: this live has no recording, only its numbers.
  await seedAnalyticsDemo(database.db, clock, { streamerId: ids.streamerFood, brandOrgId: foodBrand, products: productsOf.get(foodBrand)!, passwordHash, newOrderRow: services.commerce.orders.newOrderRow });
  // The base's month (docs/BASES.md): after every demo live exists, so each is linked to a booking.
  await seedBasesDemo(database.db, clock, { baseOrgId: base, mcn: { orgId: mcn, userId: ids.mcn }, brands: [{ orgId: foodBrand, userId: ids.foodBrand }, { orgId: beautyBrand, userId: ids.beautyBrand }], streamers: [ids.streamerFood, ids.streamerBeauty], trainingOrgId: trainingOrg });
  // The base's money: one of 玉兰凝肌's bookings charged and partly refunded, and a withdrawal paid out (docs/BASES.md).
  await seedBasesMoneyDemo(services, database.db, clock, { baseOrgId: base, baseUserId: ids.base, brandOrgId: beautyBrand, operatorId: ids.operator });
  // 德兴斋 booked the studio of 小林说吃's next 德兴斋 live and scheduled it for her: she is notified and sees the booking (docs/BASES.md).
  await seedBrandLiveDemo(services, database.db, { baseOrgId: base, brandOrgId: foodBrand, brandUserId: ids.foodBrand, streamerId: ids.streamerFood });
  // The base's photos and three studios' (docs/BASES.md, "Photos"), drawn and put through the upload pipeline.
  await seedBasePhotosDemo(services.basePhotos, database.db, base);
  await services.events.drain();
  await seedOpenPlatformDemo(services.webhooks, { orgId: foodBrand, userId: ids.foodBrand });
  // 海上直播电商学院: courses, a question bank, trainees at several stages (docs/TRAINING.md).
  await seedTrainingDemo(services.training, database.db, clock, { orgId: trainingOrg, trainerId: ids.training, streamerFood: ids.streamerFood, streamerBeauty: ids.streamerBeauty, passwordHash });
  // The talent catalogue and a base's programme application (docs/TALENT.md): after the certificates and the base's month.
  await seedTalentDemo(services.talent, database.db, { operatorId: ids.operator, trainingOrgId: trainingOrg, trainerId: ids.training, streamerFood: ids.streamerFood, baseOrgId: base, baseUserId: ids.base }, services.bases.reports);
  // 直播+生活服务 (docs/VOUCHERS.md): 德兴斋's stores, staff and set-meal voucher (the viewer holds an unused code); 玉兰凝肌's 全球首店 with its gift.
  await seedVouchersDemo(services, database.db, clock, { foodBrand, foodBrandUser: ids.foodBrand, beautyBrand, viewerId: ids.viewer, passwordHash });
  // 直播+跨境电商 (docs/CROSSBORDER.md): an Australian milk powder (保税备货) in 德兴斋's factory live; the demo viewer is verified.
  await seedCrossBorderDemo(services, database.db, clock, { brandOrgId: foodBrand, sessionId: foodFactoryLive.session.id, viewerId: ids.viewer });
  // 定金预售 (docs/PRESALE.md): a 五五购物节 gift box in 玉兰凝肌's warm-up live; the demo viewer has paid a deposit.
  await seedPresaleDemo(services, database.db, clock, { brandOrgId: beautyBrand, brandUserId: ids.beautyBrand, viewerId: ids.viewer, sessionId: beautyAutumnLive.session.id });
  // 五五购物节 2027 (docs/CAMPAIGNS.md): both brands and their lives, a shared 满300减30 paid by the platform, warm-up orders on the leaderboard.
  await seedCampaignDemo(services, database.db, clock, { operatorId: ids.operator, brandOrgIds: [foodBrand, beautyBrand], sessionIds: [foodFactoryLive.session.id, beautyAutumnLive.session.id], streamerIds: [ids.streamerFood, ids.streamerBeauty], passwordHash });
  // 竞拍 (docs/AUCTIONS.md): a limited-edition lot in 德兴斋's factory live, open for a day; the demo viewer leads on a proxy maximum. Returns { sessionId } of its live.
  await seedAuctionDemo(services, database.db, clock, { brandOrgId: foodBrand, sessionId: foodFactoryLive.session.id, streamerId: ids.streamerFood, streamerName: DEMO_ACCOUNTS.streamerFood.name, viewerId: ids.viewer, viewerName: DEMO_ACCOUNTS.viewer.name, passwordHash });
  // 首发 (docs/LAUNCHES.md): 玉兰凝肌's 上海首发 of a new serum in its 五五购物节 warm-up live, first-release stock 300 (2 per buyer);
  // the demo viewer reserved it and the live (their notification centre has the confirmations). The campaign below already takes that live.
  await seedLaunchDemo(services, database.db, clock, { brandOrgId: beautyBrand, brandUserId: ids.beautyBrand, sessionId: beautyAutumnLive.session.id, viewerId: ids.viewer, otherUserIds: [ids.foodBrand, ids.mcn, ids.training] });
  // 直播+产业供应链 (docs/B2B.md): a wholesale carton with tiers in 德兴斋's factory live; the demo viewer's licence is approved, a quote and a lead.
  await seedB2bDemo(services, database.db, clock, { brandOrgId: foodBrand, sessionId: foodFactoryLive.session.id, viewerId: ids.viewer, operatorId: ids.operator });
  // 直播+消费帮扶 (docs/ORIGIN.md): a 景迈山 tea from 澜沧 (a designated county) with its batches, in the factory 溯源 live.
  await seedOriginDemo(services, database.db, clock, { brandOrgId: foodBrand, operatorId: ids.operator, sessionId: foodFactoryLive.session.id });
  // 直播+会展 (docs/EXHIBITIONS.md): the CIIE (进博会) with halls and both brands' booths, their coming lives on the schedules.
  await seedExhibitionsDemo(services, database.db, clock, { operatorId: ids.operator, viewerId: ids.viewer, booths: [
    { orgId: foodBrand, hall: 0, boothNo: '1.1A-018', name: '德兴斋 · 中华老字号' },
    { orgId: beautyBrand, hall: 1, boothNo: '4.1B-036', name: '玉兰凝肌 · 国货护肤' },
  ] });
  // Pictures for the products the selling formats and 直播+ demos added, drawn like the others.
  const bare = await database.db.selectFrom('products').select(['id', 'brand_org_id', 'kind', 'title']).where('brand_org_id', 'in', [foodBrand, beautyBrand]).where('images', '=', '[]').execute();
  const artOf = (p: (typeof bare)[number]): DemoArt =>
    p.kind === 'voucher' ? 'setMeal' : p.kind === 'crossborder' ? 'milkPowder' : p.kind === 'wholesale' ? 'carton' : p.title.includes('茶') ? 'teaCake' : p.brand_org_id === beautyBrand && !p.title.includes('礼盒') ? 'serum' : 'giftBox';
  await seedDemoPictures(services.pictures, bare.map((p) => ({ brandOrgId: p.brand_org_id, productId: p.id, art: [artOf(p)] })));
  return true;

  /**
   * The product-selection square (docs/COOPERATION.md): both brands list offers at different rates;
   * 小林说吃 is approved for 玉兰凝肌's 面霜 at 18 % and carries it in the 蝴蝶酥 live's 小黄车 (and her
   * approval for the 唇釉 was revoked); 星火互娱
   * has applied for 阿May美妆 to carry 德兴斋's 蝴蝶酥 (pending); a 鲜肉月饼 sample is on its way to
   * 阿May美妆; and 玉兰凝肌 pays 阿May美妆 a ¥300.00 slot fee for the 精华液 in her autumn live.
   */
  async function seedCooperation() {
    const coop = services.cooperation;
    const [mooncake, butterfly, rice] = productsOf.get(foodBrand)!;
    const [serum, lipGloss, cream] = productsOf.get(beautyBrand)!;
    const food = { kind: 'brand', orgId: foodBrand, userId: ids.foodBrand } as const;
    const beauty = { kind: 'brand', orgId: beautyBrand, userId: ids.beautyBrand } as const;
    const noSamples = { available: false, depositFen: 0, maxPerStreamer: 1 };
    const offerOf = async (actor: typeof food | typeof beauty, p: { id: string }, commissionBps: number, terms: { priceFloorFen?: number; samples?: typeof noSamples; minFollowers?: number; categories?: string[]; note: string }) =>
      coop.offers.create(actor.orgId, {
        productId: p.id,
        commissionBps,
        priceFloorFen: terms.priceFloorFen ?? null,
        samples: terms.samples ?? noSamples,
        requirements: { minFollowers: terms.minFollowers ?? 0, categories: terms.categories ?? [] },
        note: terms.note,
      });
    const mooncakeOffer = await offerOf(food, mooncake!, 1500, { priceFloorFen: 3500, samples: { available: true, depositFen: 0, maxPerStreamer: 2 }, categories: ['食品'], note: '老字号现烤月饼，冷链发货，支持寄样试吃。' });
    const butterflyOffer = await offerOf(food, butterfly!, 2000, { priceFloorFen: 6000, samples: { available: true, depositFen: 5000, maxPerStreamer: 1 }, categories: ['食品', '美妆'], note: '样品押金 ¥50，寄回后退还。' });
    await offerOf(food, rice!, 1200, { minFollowers: 1000, categories: ['食品'], note: '需冷链，限粉丝 1000 以上的主播。' });
    await offerOf(beauty, serum!, 3000, { priceFloorFen: 25_000, samples: { available: true, depositFen: 10_000, maxPerStreamer: 1 }, categories: ['美妆'], note: '高佣新品，直播价不低于 ¥250。' });
    const lipGlossOffer = await offerOf(beauty, lipGloss!, 2500, { priceFloorFen: 13_900, note: '三色可选，不限带货品类。' });
    const creamOffer = await offerOf(beauty, cream!, 1800, { priceFloorFen: 17_000, samples: { available: true, depositFen: 0, maxPerStreamer: 1 }, note: '敏感肌面霜，欢迎跨品类主播带货。' });

    // 小林说吃 applies for the 面霜; 玉兰凝肌 approves at the offer's 18 %; it goes on the 蝴蝶酥 live's 小黄车 as 4号链接.
    const approved = await coop.offers.apply({ kind: 'streamer', userId: ids.streamerFood }, creamOffer.id, ids.streamerFood, '美食号也有不少女性粉丝，想试试护肤品。');
    const decided = await coop.offers.decide(beautyBrand, approved.id, ids.beautyBrand, { approve: true });
    await database.db
      .insertInto('session_products')
      .values({ session_id: foodFactoryLive.session.id, product_id: cream!.id, link: productsOf.get(foodBrand)!.length + 1, live_prices: JSON.stringify({ [cream!.skuIds[0]!]: 17_900 }), added_at: iso, commission_bps: decided.commissionBps! })
      .execute();
    // 小林说吃 was approved for the 唇釉 too, but 玉兰凝肌 revoked it (docs/COOPERATION.md "Revoking an approval").
    const lipGlossApp = await coop.offers.apply({ kind: 'streamer', userId: ids.streamerFood }, lipGlossOffer.id, ids.streamerFood, '想在美食直播间试试唇釉。');
    await coop.offers.decide(beautyBrand, lipGlossApp.id, ids.beautyBrand, { approve: true });
    await coop.offers.revoke(beautyBrand, lipGlossApp.id, ids.beautyBrand, '唇釉改为品牌自播专供，暂停跨品类带货。');
    // 星火互娱 applies for 阿May美妆 to carry the 蝴蝶酥 (its categories 食品 or 美妆: she has sold 美妆): waiting for 德兴斋.
    await coop.offers.apply({ kind: 'mcn', orgId: mcn, userId: ids.mcn }, butterflyOffer.id, ids.streamerBeauty, '阿May 的粉丝以年轻女性为主，适合伴手礼。');
    // A 鲜肉月饼 sample (no deposit) requested by 阿May美妆, approved and shipped by 德兴斋.
    const sample = await coop.samples.request({ kind: 'streamer', userId: ids.streamerBeauty }, mooncakeOffer.id, ids.streamerBeauty, { name: '梅子涵', phone: '13800000002', region: '上海市 徐汇区', detail: '漕溪北路 88 号' }, '想先试吃再决定。');
    await coop.samples.approve(foodBrand, sample.id);
    await coop.samples.ship(foodBrand, sample.id, { carrier: '顺丰速运', trackingNo: 'SF1234567890' });
    // The slot fee: proposed by 玉兰凝肌, accepted by 阿May美妆 (¥300.00; half back below ¥10,000 GMV).
    const fee = await coop.slotFees.propose(beauty, { sessionId: beautyAutumnLive.session.id, productId: serum!.id, feeFen: 30_000, gmvTargetFen: 1_000_000, refundBps: 5000 });
    await coop.slotFees.accept({ kind: 'streamer', userId: ids.streamerBeauty }, fee.id);
  }

  /**
   * The ledger (docs/LEDGER.md): both streamers signed to 星火互娱 at a 30 % split, a past live each
   * with 20 % commission on its 小黄车, and orders from it paid and completed long enough ago to
   * settle, plus one still inside its T+7 window; then the ledger consumer and a settlement run.
   */
  async function seedLedger() {
    const day = 86_400_000;
    const ago = (days: number) => new Date(now.getTime() - days * day).toISOString();
    // The contracts (docs/MCN.md), each with the rights its streamer granted. 小林说吃: a contract
    // terminated 60 days ago by agreement, the current one (ending in 30 days) and its renewal, offered
    // and waiting in her console. 阿May美妆: an expired first term and its open-ended renewal, which
    // does not let the MCN see her earnings.
    const allRights = JSON.stringify(['manage_products', 'manage_sessions', 'view_earnings', 'request_samples']);
    const contract = (streamer: DemoKey, row: { split: number; from: string; to: string | null; status: 'offered' | 'accepted' | 'terminated'; offered: string; accepted?: string; rights?: string; renewedFrom?: string; terminated?: [string, 'mcn' | 'streamer', string] }) => {
      const id = newId();
      return database.db
        .insertInto('mcn_contracts')
        .values({
          id,
          mcn_org_id: mcn,
          streamer_id: ids[streamer],
          split_bps: row.split,
          exclusive: 1,
          starts_at: row.from,
          ends_at: row.to,
          status: row.status,
          created_at: row.offered,
          accepted_at: row.accepted ?? null,
          rights: row.rights ?? allRights,
          offered_by: ids.mcn,
          renewed_from: row.renewedFrom ?? null,
          terminated_at: row.terminated?.[0] ?? null,
          terminated_by: row.terminated?.[1] ?? null,
          termination_reason: row.terminated?.[2] ?? null,
          updated_at: row.terminated?.[0] ?? row.accepted ?? row.offered,
        })
        .execute()
        .then(() => id);
    };
    await contract('streamerFood', { split: 4000, from: ago(400), to: ago(-35), status: 'terminated', offered: ago(402), accepted: ago(400), terminated: [ago(60), 'streamer', '双方协商改签新合约，分成比例下调至 30%'] });
    const foodNow = await contract('streamerFood', { split: 3000, from: ago(60), to: ago(-30), status: 'accepted', offered: ago(61), accepted: ago(60) });
    await contract('streamerFood', { split: 2800, from: ago(-30), to: ago(-395), status: 'offered', offered: ago(1), renewedFrom: foodNow });
    const beautyFirst = await contract('streamerBeauty', { split: 3500, from: ago(425), to: ago(60), status: 'accepted', offered: ago(426), accepted: ago(425), rights: JSON.stringify(['manage_products', 'view_earnings']) });
    await contract('streamerBeauty', { split: 3000, from: ago(60), to: null, status: 'accepted', offered: ago(62), accepted: ago(60), renewedFrom: beautyFirst, rights: JSON.stringify(['manage_products', 'manage_sessions', 'request_samples']) });
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
  /**
   * Discovery (docs/DISCOVERY.md): 观众小王 follows both streamers (关注 feed); a third brand, 棉田家居,
   * brings a 家居 tab with a past live; and every past live gets a short replay (server/demo/replay, a
   * 6-second clip played DEMO_REPLAY_REPEATS times: 3 minutes) when the data directory is known, so the
   * home page shows 精彩回放, with a chapter per product explained (demoPins).
   */
  async function seedDiscovery() {
    await database.db
      .insertInto('follows')
      .values([ids.streamerFood, ids.streamerBeauty].map((streamerId) => ({ user_id: ids.viewer, streamer_id: streamerId, created_at: iso })))
      .execute();
    const homeBrand = await org('homeBrand', 'brand', '棉田家居', '新疆长绒棉床品与家居收纳，一站式换季好物。', ['上海棉田家居用品有限公司', '91310107MA1J2K3456']);
    const homeProducts: { id: string; title: string; category: string; description: string; skus: [string, number, number][] }[] = [
      { id: newId(), title: '棉田长绒棉四件套', category: '家居/床品', description: '新疆长绒棉 60 支，亲肤不起球。', skus: [['1.5m 床', 39900, 300], ['1.8m 床', 45900, 300]] },
      { id: newId(), title: '棉田可折叠收纳箱', category: '家居/收纳', description: '66L 大容量，免安装，三只装。', skus: [['三只装', 8900, 1000]] },
    ];
    for (const p of homeProducts) {
      await services.catalog.insertProduct(
        { id: p.id, brand_org_id: homeBrand, title: p.title, description: p.description, category: p.category, images: '[]', return_policy: 'standard', status: 'on_sale', created_at: iso },
        p.skus.map(([spec, priceFen, stock]) => ({ id: newId(), product_id: p.id, spec: JSON.stringify({ 规格: spec }), price_fen: priceFen, stock, created_at: iso })),
      );
    }
    await seedDemoPictures(services.pictures, [
      { brandOrgId: homeBrand, productId: homeProducts[0]!.id, art: ['beddingSet'] },
      { brandOrgId: homeBrand, productId: homeProducts[1]!.id, art: ['storageBoxes'] },
    ]);
    const at = new Date(now.getTime() - 12 * 86_400_000).toISOString();
    const homeLive = newId();
    await database.db
      .insertInto('live_sessions')
      .values({ id: homeLive, streamer_id: ids.streamerBeauty, brand_org_id: homeBrand, title: '阿May的换季家居好物分享（回放）', cover_url: null, status: 'ended', scheduled_at: at, started_at: at, ended_at: at, created_at: at, peak_viewers: 1268 })
      .execute();
    await database.db
      .insertInto('session_products')
      .values(homeProducts.map((p, i) => ({ session_id: homeLive, product_id: p.id, link: i + 1, live_prices: '{}', added_at: at, commission_bps: 1500 })))
      .execute();
    if (!options.dataDir) return;
    const fixture = fileURLToPath(new URL('./replay/', import.meta.url));
    if (!fs.existsSync(fixture)) return;
    const ended = await database.db.selectFrom('live_sessions').select(['id', 'started_at', 'streamer_id']).where('status', '=', 'ended').execute();
    for (const session of ended) {
      const dir = recordingDir(options.dataDir, session.id);
      fs.mkdirSync(dir, { recursive: true });
      // The segment is kept as .mpegts in the source tree (a .ts file there would be taken for TypeScript).
      fs.copyFileSync(path.join(fixture, 'part-00000.mpegts'), path.join(dir, 'part-00000.ts'));
      // The clip again and again (each a discontinuity: its timestamps start over), so the replay is long
      // enough for chapters without shipping minutes of video.
      const clip = ['#EXT-X-DISCONTINUITY', '#EXTINF:6.000000,', 'part-00000.ts'];
      const playlist = ['#EXTM3U', '#EXT-X-VERSION:3', '#EXT-X-TARGETDURATION:6', '#EXT-X-MEDIA-SEQUENCE:0', '#EXT-X-PLAYLIST-TYPE:VOD', ...Array.from({ length: DEMO_REPLAY_REPEATS }, (_, i) => (i === 0 ? clip.slice(1) : clip)).flat(), '#EXT-X-ENDLIST', ''];
      fs.writeFileSync(path.join(dir, 'index.m3u8'), playlist.join('\n'));
      const startedAt = session.started_at ?? iso;
      const durationMs = DEMO_REPLAY_REPEATS * 6000;
      await services.liveStore.upsertRecording({ session_id: session.id, path: dir, started_at: startedAt, ended_at: new Date(Date.parse(startedAt) + durationMs).toISOString(), duration_ms: durationMs, bytes: fs.statSync(path.join(dir, 'part-00000.ts')).size, retain_until: new Date(now.getTime() + 1096 * 86_400_000).toISOString(), deleted_at: null, deleted_by: null, delete_reason: null });
      await services.liveStore.update(session.id, { replay_status: 'ready' });
      await demoPins(session.id, session.streamer_id, startedAt);
    }
  }
  /**
   * The replays' chapters (docs/VIDEO.md, Replay chapters): the streamer explained each product of the
   * 小黄车 in link order, about 50 s each with a few seconds between, as live_pins rows.
   */
  async function demoPins(sessionId: string, streamerId: string, startedAt: string) {
    const list = await database.db.selectFrom('session_products').select('product_id').where('session_id', '=', sessionId).orderBy('link').execute();
    const at = (s: number) => new Date(Date.parse(startedAt) + s * 1000).toISOString();
    const rows = list.slice(0, 3).map((p, i) => ({ id: newId(), session_id: sessionId, product_id: p.product_id, pinned_at: at(8 + i * 57), unpinned_at: at(8 + i * 57 + 52), pinned_by: streamerId }));
    if (rows.length) await database.db.insertInto('live_pins').values(rows).execute();
  }
}
