import type { AuthUser } from '../accounts/service.ts';
import type { Services } from '../app.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db.ts';
import { newId } from '../platform/ids.ts';

/**
 * 竞拍 (docs/AUCTIONS.md): a limited-edition lot of the brand in one of its demo lives, open for a day,
 * with a few bids: two demo bidders, then the demo viewer's proxy maximum, so a newcomer logged in as
 * the viewer sees "你领先" in the room. Returns the live, for the 五五购物节 campaign.
 */
export async function seedAuctionDemo(
  services: Services,
  db: Db,
  clock: Clock,
  ctx: { brandOrgId: string; sessionId: string; streamerId: string; streamerName: string; viewerId: string; viewerName: string; passwordHash: string },
): Promise<{ sessionId: string; auctionId: string }> {
  const iso = clock.now().toISOString();
  const productId = newId();
  const skuId = newId();
  await services.catalog.insertProduct(
    {
      id: productId,
      brand_org_id: ctx.brandOrgId,
      title: '德兴斋百年纪念 手绘珐琅点心盒（限量 1 只）',
      description: '百年纪念限量款，老师傅手绘珐琅盒，附收藏证书编号 No.001。直播间竞拍，价高者得。',
      category: '食品/礼盒',
      images: '[]',
      return_policy: 'standard',
      status: 'on_sale',
      created_at: iso,
    },
    [{ id: skuId, product_id: productId, spec: JSON.stringify({ 编号: 'No.001' }), price_fen: 188_800, stock: 1, created_at: iso }],
  );
  const as = (id: string, displayName: string): AuthUser => ({ id, displayName, platformRole: 'viewer', locale: 'zh-CN', sessionId: 'demo' });
  const bidders = [
    { id: newId(), name: '李收藏', email: 'bidder-li@zhibo.local' },
    { id: newId(), name: '赵掌柜', email: 'bidder-zhao@zhibo.local' },
  ];
  await db
    .insertInto('users')
    .values(bidders.map((b) => ({ id: b.id, phone: null, email: b.email, password_hash: ctx.passwordHash, display_name: b.name, platform_role: 'viewer' as const, locale: 'zh-CN' as const, failed_logins: 0, locked_until: null, created_at: iso, updated_at: iso })))
    .execute();
  const auction = await services.auctions.create(ctx.sessionId, as(ctx.streamerId, ctx.streamerName), {
    skuId,
    title: '百年纪念 手绘珐琅点心盒 No.001',
    startingPriceFen: 50_000,
    startsInSeconds: 0,
    durationSeconds: 86_400,
    extendSeconds: 30,
    maxExtensionSeconds: 300,
    suddenDeath: false,
    paySeconds: 1_800,
  });
  await services.auctions.bid(auction.id, as(bidders[0]!.id, bidders[0]!.name), { kind: 'bid', amountFen: 50_000, clientKey: 'demo-bid-0001' });
  await services.auctions.bid(auction.id, as(bidders[1]!.id, bidders[1]!.name), { kind: 'proxy', amountFen: 68_000, clientKey: 'demo-bid-0002' });
  await services.auctions.bid(auction.id, as(bidders[0]!.id, bidders[0]!.name), { kind: 'bid', amountFen: 60_000, clientKey: 'demo-bid-0003' });
  await services.auctions.bid(auction.id, as(ctx.viewerId, ctx.viewerName), { kind: 'proxy', amountFen: 80_000, clientKey: 'demo-bid-0004' });
  return { sessionId: ctx.sessionId, auctionId: auction.id };
}
