import type { Services } from '../app.ts';
import type { AuthUser } from '../accounts/service.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db.ts';
import { newId } from '../platform/ids.ts';

const HOUR = 3_600_000;

/**
 * The 五五购物节 launch (docs/LAUNCHES.md): 玉兰凝肌 premieres a new serum in Shanghai (上海首发) in its
 * 五五购物节 warm-up live (scheduled a few hours ahead), with 300 units of first-release stock at ¥199 (2 per buyer). The demo viewer
 * and a few others reserved it; the viewer also reserved the live, so their notification centre shows
 * the confirmations (the reminders follow 10 minutes before and at the start). Returns the launch's
 * live, which the lead attaches to the 五五购物节 campaign.
 */
export async function seedLaunchDemo(
  services: Services,
  db: Db,
  clock: Clock,
  ids: { brandOrgId: string; brandUserId: string; sessionId: string; viewerId: string; otherUserIds: string[] },
): Promise<{ sessionId: string; launchId: string }> {
  const now = clock.now().getTime();
  const iso = new Date(now).toISOString();
  // The launch happens when the brand's 五五购物节 warm-up live begins (a few hours ahead).
  const session = await db.selectFrom('live_sessions').select(['id', 'scheduled_at']).where('id', '=', ids.sessionId).executeTakeFirstOrThrow();
  const launchAt = new Date(Math.max(Date.parse(session.scheduled_at), now + HOUR)).toISOString();
  const productId = newId();
  const skuId = newId();
  await services.catalog.insertProduct(
    { id: productId, brand_org_id: ids.brandOrgId, title: '玉兰凝肌白玉兰精华 2.0', description: '第二代白玉兰提取物精华，五五购物节上海首发。', category: '美妆/护肤', images: '[]', return_policy: 'confirm', status: 'on_sale', created_at: iso },
    [{ id: skuId, product_id: productId, spec: JSON.stringify({ 容量: '30ml 首发装' }), price_fen: 25900, stock: 1000, created_at: iso }],
  );
  const brandUser: AuthUser = { id: ids.brandUserId, displayName: '', platformRole: 'viewer', locale: 'zh-CN', sessionId: '' };
  const launch = await services.launches.service.create(ids.brandOrgId, brandUser, {
    productId,
    skuId,
    sessionId: session.id,
    level: 'shanghai',
    title: '玉兰凝肌白玉兰精华 2.0 · 五五购物节上海首发',
    description: '第二代白玉兰精华在五五购物节首发：首发价 ¥199，限量 300 件，每人限购 2 件。预约后开始前 10 分钟和开始时提醒你。',
    launchAt,
    teaserUrl: undefined,
    priceFen: 19900,
    stock: 300,
    perUserLimit: 2,
    durationMinutes: 24 * 60,
  });
  for (const userId of [ids.viewerId, ...ids.otherUserIds]) await services.launches.service.reserveLaunch(userId, launch.id);
  await services.launches.service.reserveLive(ids.viewerId, session.id);
  // The confirmations are delivered now, so the viewer's bell shows them on first log-in.
  await services.notifications.sweep();
  return { sessionId: session.id, launchId: launch.id };
}
