import crypto from 'node:crypto';
import { expect, it } from 'vitest';
import { rankEntrants } from '../server/room/service.ts';
import { describeEachDatabase } from './helpers/each-database.ts';
import { joinOrg, operator, streamer } from './helpers/people.ts';
import { RoomSocket } from './helpers/room-client.ts';
import type { TestClient, TestServer } from './helpers/server.ts';

async function brandWithProduct(server: TestServer) {
  const owner = server.client();
  await owner.register(`brand${crypto.randomBytes(3).toString('hex')}@example.com`);
  const org = (await owner.post('/api/orgs', { kind: 'brand', name: `品牌${crypto.randomBytes(2).toString('hex')}` })).json().org;
  const op = await operator(server);
  await op.client.post(`/api/admin/orgs/${org.id}/review`, { decision: 'approve' });
  const productId = crypto.randomUUID();
  const now = server.clock.now().toISOString();
  await server.services.catalog.insertProduct(
    { id: productId, brand_org_id: org.id, title: '鲜肉月饼 6 只装', description: '', category: '食品', images: '[]', return_policy: 'excluded', status: 'on_sale', created_at: now },
    [{ id: crypto.randomUUID(), product_id: productId, spec: '{}', price_fen: 3980, stock: 100, created_at: now }],
  );
  return { brandId: org.id as string, productId };
}

/** A live session with a brand product, its streamer, and a few logged-in viewers. */
async function room(server: TestServer, viewers = 2) {
  const { brandId, productId } = await brandWithProduct(server);
  const host = await streamer(server);
  await joinOrg(server, brandId, host.id); // the brand's own streamer, so the live may name it
  const { session } = (await host.client.post('/api/streamer/live-sessions', { title: '直播间测试', scheduledAt: new Date(server.clock.now().getTime() + 60_000).toISOString(), brandOrgId: brandId })).json();
  const people: { client: TestClient; id: string }[] = [];
  for (let i = 0; i < viewers; i++) {
    const client = server.client();
    const user = await client.register(`viewer${crypto.randomBytes(4).toString('hex')}@example.com`, 'Secret123x', `观众${i + 1}`);
    people.push({ client, id: user.id });
  }
  // The 小黄车: the streamer lists the brand's product as 1号链接.
  const listed = await host.client.put(`/api/rooms/${session.id}/products`, { items: [{ productId }] });
  if (listed.status !== 200) throw new Error(`listing the product failed: ${listed.body}`);
  return { sessionId: session.id as string, host, viewers: people, productId };
}

describeEachDatabase(
  'the live room',
  ({ server }) => {
    it('lets anyone watch and read, but only logged-in viewers post; chat reaches every viewer, HTML as plain text', async () => {
      const { sessionId, viewers } = await room(server());
      const anonymous = await RoomSocket.open(server(), sessionId);
      const snapshot = anonymous.frames.find((f) => f.t === 'snapshot')!;
      expect(snapshot.state).toMatchObject({ status: 'scheduled', announcement: null, pinned: null, settings: { slowModeSeconds: 0, followersOnly: false } });
      expect(snapshot.state.products).toHaveLength(1);
      expect((await anonymous.chat('我也想说话')).code).toBe('AUTH_REQUIRED');

      const alice = await RoomSocket.open(server(), sessionId, { client: viewers[0]!.client });
      const payload = '<img src=x onerror="alert(1)"><script>alert(2)</script>';
      const ack = await alice.chat(payload);
      expect(ack).toMatchObject({ t: 'ack', status: 'shown', text: payload });
      const seen = await anonymous.event('chat', (e) => e.id === ack.id);
      expect(seen).toMatchObject({ text: payload, user: { name: '观众1', role: 'viewer' } });
      const later = await RoomSocket.open(server(), sessionId);
      expect(later.frames.find((f) => f.t === 'snapshot')!.state.recentChat.map((c: { id: string }) => c.id)).toContain(ack.id);
      await server().services.room.flushMessages();
      const stored = await server().database.db.selectFrom('chat_messages').select(['text', 'status']).where('id', '=', ack.id).executeTakeFirstOrThrow();
      expect(stored).toEqual({ text: payload, status: 'shown' });
      for (const s of [anonymous, alice, later]) s.close();
    });

    it('answers bad frames with clear codes and keeps serving; closes oversized frames and floods', async () => {
      const { sessionId } = await room(server(), 0);
      const socket = await RoomSocket.open(server(), sessionId);
      socket.send('this is not json');
      expect((await socket.next((f) => f.t === 'error')).code).toBe('WS_BAD_FRAME');
      socket.send({ t: 'dance' });
      await socket.next((f) => f.t === 'error' && socket.frames.filter((x) => x.code === 'WS_BAD_FRAME').length === 2);
      socket.send({ t: 'ping' });
      await socket.next((f) => f.t === 'pong');

      const big = await RoomSocket.open(server(), sessionId);
      big.send({ t: 'chat', text: 'x'.repeat(5000) });
      expect((await big.closedWith()).code).toBe(1009);

      const flood = await RoomSocket.open(server(), sessionId);
      for (let i = 0; i < 60; i++) flood.send({ t: 'ping' });
      expect((await flood.next((f) => f.t === 'error' && f.code === 'WS_FLOOD')).message).toBeTruthy();
      expect((await flood.closedWith()).code).toBe(4029);
      // Everyone else is still served.
      socket.send({ t: 'ping' });
      await socket.next((f) => f.t === 'pong' && socket.frames.filter((x) => x.t === 'pong').length === 2);
      socket.close();
    });

    it('enforces length, rate, slow mode, follower-only, mutes, bans and the word filter', async () => {
      const { sessionId, host, viewers } = await room(server(), 2);
      const [a, b] = viewers as [{ client: TestClient; id: string }, { client: TestClient; id: string }];
      const sa = await RoomSocket.open(server(), sessionId, { client: a.client });
      const sb = await RoomSocket.open(server(), sessionId, { client: b.client });
      expect((await sa.chat('长'.repeat(101))).code).toBe('CHAT_TOO_LONG');
      expect((await sa.chat('   ')).code).toBe('CHAT_EMPTY');
      expect((await sa.chat('第一条')).t).toBe('ack');
      expect((await sa.chat('第二条')).code).toBe('CHAT_RATE_LIMITED');

      expect((await host.client.post(`/api/rooms/${sessionId}/settings`, { slowModeSeconds: 30 })).json().settings).toEqual({ slowModeSeconds: 30, followersOnly: false });
      server().clock.advance(5000);
      expect((await sa.chat('慢速模式下')).code).toBe('CHAT_RATE_LIMITED');
      server().clock.advance(30_000);
      await host.client.post(`/api/rooms/${sessionId}/settings`, { slowModeSeconds: 0, followersOnly: true });
      expect((await sb.chat('我没关注')).code).toBe('CHAT_FOLLOWERS_ONLY');
      expect((await b.client.post(`/api/streamers/${host.id}/follow`)).json()).toMatchObject({ following: true, followers: 1 });
      // Following an id that is nobody's: a clear 404, nothing stored.
      const nobody = await b.client.post('/api/streamers/no-such-streamer/follow');
      expect([nobody.status, nobody.errorCode]).toEqual([404, 'STREAMER_NOT_FOUND']);
      expect(await server().database.db.selectFrom('follows').select('streamer_id').where('streamer_id', '=', 'no-such-streamer').execute()).toEqual([]);
      expect((await sb.chat('关注了再说')).t).toBe('ack');
      await host.client.post(`/api/rooms/${sessionId}/settings`, { followersOnly: false });

      server().clock.advance(2000);
      const blocked = await sa.chat('想要便宜的加 微 信 聊');
      expect(blocked.code).toBe('CHAT_BLOCKED');
      server().clock.advance(2000);
      const masked = await sa.chat('全网第一好吃');
      expect(masked).toMatchObject({ status: 'masked', text: '＊＊＊＊好吃' });
      expect((await sb.event('chat', (e) => e.id === masked.id)).text).toBe('＊＊＊＊好吃');

      const muted = await host.client.post(`/api/rooms/${sessionId}/mutes`, { userId: a.id, minutes: 10, kind: 'mute', reason: '刷屏' });
      expect(muted.status).toBe(200);
      expect((await sa.event('notice', (e) => e.code === 'MUTED')).to).toBe(a.id);
      server().clock.advance(2000);
      const mutedChat = await sa.chat('我被禁言了吗');
      expect(mutedChat.code).toBe('CHAT_MUTED');
      expect(mutedChat.message).toMatch(/10 分钟/);
      await host.client.post(`/api/rooms/${sessionId}/mutes`, { userId: b.id, minutes: 60, kind: 'ban' });
      server().clock.advance(2000);
      expect((await sb.chat('还能说吗')).code).toBe('CHAT_BANNED');

      const log = (await host.client.get(`/api/rooms/${sessionId}/moderation-log`)).json().entries.map((e: { action: string }) => e.action);
      expect(log).toEqual(expect.arrayContaining(['chat.blocked', 'user.mute', 'user.ban', 'settings']));
      sa.close();
      sb.close();
    });

    it('keeps console actions for the streamer, assistants and operators', async () => {
      const { sessionId, host, viewers, productId } = await room(server(), 2);
      const viewer = viewers[0]!.client;
      for (const [url, body] of [
        [`/api/rooms/${sessionId}/pin`, { productId }],
        [`/api/rooms/${sessionId}/announcement`, { text: '今晚 8 点开抢' }],
        [`/api/rooms/${sessionId}/mutes`, { userId: viewers[1]!.id, minutes: 5, kind: 'mute' }],
        [`/api/rooms/${sessionId}/lucky-bags`, { prize: '月饼礼盒', winners: 1, condition: { kind: 'follow' }, drawInSeconds: 60 }],
        [`/api/rooms/${sessionId}/coupon-drops`, { title: '满减券', amountOffFen: 500, total: 10, seconds: 60 }],
      ] as const) {
        const response = await viewer.post(url, body as Record<string, unknown>);
        expect(response.status, url).toBe(403);
        expect(response.errorCode).toBe('FORBIDDEN');
      }
      expect((await viewer.get(`/api/rooms/${sessionId}/moderation-log`)).status).toBe(403);
      // The streamer makes viewer 2 an assistant (场控), who may then act.
      await host.client.post('/api/streamer/assistants', { login: (await viewers[1]!.client.get('/api/auth/session')).json().user.email });
      expect((await viewers[1]!.client.post(`/api/rooms/${sessionId}/announcement`, { text: '场控公告' })).status).toBe(200);
      const op = await operator(server());
      expect((await op.client.post(`/api/rooms/${sessionId}/announcement`, { text: '平台提示：理性消费' })).status).toBe(200);
    });

    it('pins a product for every viewer, refuses another brand’s product, and posts announcements', async () => {
      const { sessionId, host, productId } = await room(server(), 0);
      const watcher = await RoomSocket.open(server(), sessionId);
      const pinned = await host.client.post(`/api/rooms/${sessionId}/pin`, { productId });
      expect(pinned.json().pinned).toMatchObject({ id: productId, title: '鲜肉月饼 6 只装', priceFen: 3980, link: 1 });
      expect((await watcher.event('pin')).product.id).toBe(productId);
      const other = await brandWithProduct(server());
      expect((await host.client.post(`/api/rooms/${sessionId}/pin`, { productId: other.productId })).errorCode).toBe('PRODUCT_NOT_IN_ROOM');
      await host.client.post(`/api/rooms/${sessionId}/announcement`, { text: '今晚 8 点 1 号链接秒杀' });
      expect((await watcher.event('announcement')).text).toBe('今晚 8 点 1 号链接秒杀');
      const state = (await server().client().get(`/api/rooms/${sessionId}`)).json();
      expect(state).toMatchObject({ announcement: '今晚 8 点 1 号链接秒杀', pinned: { id: productId } });
      await host.client.post(`/api/rooms/${sessionId}/pin`, { productId: null });
      expect((await watcher.event('pin', (e) => e.product === null)).product).toBeNull();
      watcher.close();
    });

    it('runs a coupon drop: one claim per viewer, never more than the total, none after time is up', async () => {
      const { sessionId, host, viewers } = await room(server(), 3);
      const watcher = await RoomSocket.open(server(), sessionId);
      const drop = (await host.client.post(`/api/rooms/${sessionId}/coupon-drops`, { title: '直播间专享券', amountOffFen: 500, total: 2, seconds: 30 })).json().coupon;
      expect((await watcher.event('coupon.started')).coupon).toMatchObject({ id: drop.id, remaining: 2, amountOffFen: 500 });
      const claim = (client: TestClient) => client.post(`/api/rooms/${sessionId}/coupon-drops/${drop.id}/claim`);
      expect((await claim(viewers[0]!.client)).json()).toMatchObject({ claimed: true, coupon: { remaining: 1 } });
      expect((await claim(viewers[0]!.client)).errorCode).toBe('COUPON_ALREADY_CLAIMED');
      const [second, third] = await Promise.all([claim(viewers[1]!.client), claim(viewers[2]!.client)]);
      expect([second.status, third.status].sort()).toEqual([200, 409]);
      expect([second.errorCode, third.errorCode]).toContain('COUPON_SOLD_OUT');
      expect((await watcher.event('coupon.updated', (e) => e.coupon.remaining === 0)).coupon.remaining).toBe(0);
      const late = (await host.client.post(`/api/rooms/${sessionId}/coupon-drops`, { title: '限时券', amountOffFen: 300, total: 100, seconds: 10 })).json().coupon;
      server().clock.advance(11_000);
      expect((await viewers[2]!.client.post(`/api/rooms/${sessionId}/coupon-drops/${late.id}/claim`)).errorCode).toBe('COUPON_CLOSED');
      const claims = await server().database.db.selectFrom('coupon_claims').select('user_id').where('drop_id', '=', drop.id).execute();
      expect(claims).toHaveLength(2);
      watcher.close();
    });

    it('draws a lucky bag fairly: the seed is committed first, revealed after, and anyone can check the winners', async () => {
      const { sessionId, host, viewers } = await room(server(), 3);
      const sockets = await Promise.all(viewers.map((v) => RoomSocket.open(server(), sessionId, { client: v.client })));
      const bag = (await host.client.post(`/api/rooms/${sessionId}/lucky-bags`, { prize: '德兴斋月饼礼盒', winners: 2, condition: { kind: 'keyword', keyword: '想要月饼' }, drawInSeconds: 60 })).json().luckyBag;
      const started = await sockets[0]!.event('luckybag.started');
      expect(started.luckyBag).toMatchObject({ commitment: bag.commitment, status: 'open' });
      expect(started.luckyBag.seed).toBeUndefined();
      // Viewers 1 and 2 post the keyword; viewer 3 says something else.
      await sockets[0]!.chat('我想要月饼！');
      await sockets[1]!.chat('想要月饼+1');
      await sockets[2]!.chat('路过');
      expect((await viewers[0]!.client.post(`/api/rooms/${sessionId}/lucky-bags/${bag.id}/draw`)).status).toBe(403);
      const drawn = (await host.client.post(`/api/rooms/${sessionId}/lucky-bags/${bag.id}/draw`)).json().luckyBag;
      expect(drawn.status).toBe('drawn');
      expect(crypto.createHash('sha256').update(drawn.seed).digest('hex')).toBe(bag.commitment);
      const audit = (await server().client().get(`/api/rooms/${sessionId}/lucky-bags/${bag.id}`)).json();
      const entrants = audit.entrants.map((e: { id: string }) => e.id);
      expect(entrants.sort()).toEqual([viewers[0]!.id, viewers[1]!.id].sort());
      expect(drawn.winnerIds).toEqual(rankEntrants(drawn.seed, entrants).slice(0, 2));
      for (const winner of drawn.winnerIds as string[]) {
        const socket = sockets[viewers.findIndex((v) => v.id === winner)]!;
        expect((await socket.event('notice', (e) => e.code === 'LUCKYBAG_WON')).prize).toBe('德兴斋月饼礼盒');
      }
      expect((await sockets[2]!.event('luckybag.drawn')).luckyBag.winnerIds).toEqual(drawn.winnerIds);
      expect((await host.client.post(`/api/rooms/${sessionId}/lucky-bags/${bag.id}/draw`)).errorCode).toBe('LUCKYBAG_ALREADY_DRAWN');

      const empty = (await host.client.post(`/api/rooms/${sessionId}/lucky-bags`, { prize: '无人参与', winners: 1, condition: { kind: 'follow' }, drawInSeconds: 5 })).json().luckyBag;
      expect((await viewers[2]!.client.post(`/api/rooms/${sessionId}/lucky-bags/${empty.id}/enter`)).errorCode).toBe('LUCKYBAG_NOT_ELIGIBLE');
      server().clock.advance(6000);
      await server().services.room.drawDueBags();
      const noOne = await sockets[0]!.event('luckybag.drawn', (e) => e.luckyBag.id === empty.id);
      expect(noOne).toMatchObject({ code: 'LUCKYBAG_NO_ENTRANTS', luckyBag: { winnerIds: [], status: 'drawn' } });
      for (const s of sockets) s.close();
    });

    it('resumes a viewer from its last sequence number, or gives a fresh snapshot', async () => {
      const { sessionId, host } = await room(server(), 0);
      // Another viewer keeps the room open on this node while the first one is away.
      const keeper = await RoomSocket.open(server(), sessionId);
      const first = await RoomSocket.open(server(), sessionId);
      await host.client.post(`/api/rooms/${sessionId}/announcement`, { text: '第一条公告' });
      const seen = await first.next((f) => f.t === 'batch' && f.events.some((e: { type: string }) => e.type === 'announcement'));
      first.close();
      await host.client.post(`/api/rooms/${sessionId}/announcement`, { text: '断线期间的公告' });
      await keeper.event('announcement', (e) => e.text === '断线期间的公告');
      const back = await RoomSocket.open(server(), sessionId, { resume: seen.seq });
      expect(back.frames[0]).toMatchObject({ t: 'welcome', resumed: true });
      expect(back.events('announcement').map((e) => e.text)).toContain('断线期间的公告');
      const stale = await RoomSocket.open(server(), sessionId, { resume: 999_999 });
      expect(stale.frames[0]).toMatchObject({ t: 'welcome', resumed: false });
      expect(stale.frames.find((f) => f.t === 'snapshot')!.state.announcement).toBe('断线期间的公告');
      for (const s of [keeper, back, stale]) s.close();
    });

    it('spreads a big room over write groups: every viewer gets every batch once, in order, and can resume', async () => {
      const { sessionId, host } = await room(server(), 0);
      // ROOM_VIEWERS_PER_GROUP is 4 here: thirteen viewers make four groups, each written in its own step.
      const watchers = await Promise.all([...Array(13)].map(() => RoomSocket.open(server(), sessionId)));
      expect(server().services.hubs.peek(sessionId)!.groupCount()).toBe(4);
      const texts = ['公告 1', '公告 2', '公告 3', '公告 4', '公告 5', '公告 6'];
      for (const text of texts.slice(0, 3)) await host.client.post(`/api/rooms/${sessionId}/announcement`, { text });
      // One viewer drops out halfway and comes back with its last seq.
      const leaver = watchers.pop()!;
      const lastSeen = await leaver.next((f) => f.t === 'batch' && f.events.some((e: { text?: string }) => e.text === '公告 3'));
      leaver.close();
      for (const text of texts.slice(3)) await host.client.post(`/api/rooms/${sessionId}/announcement`, { text });
      const back = await RoomSocket.open(server(), sessionId, { resume: lastSeen.seq });
      expect(back.frames[0]).toMatchObject({ t: 'welcome', resumed: true });
      await back.event('announcement', (e) => e.text === '公告 6');
      for (const w of [...watchers, back]) {
        await w.event('announcement', (e) => e.text === '公告 6');
        // Batch frames arrive with consecutive seqs after the snapshot (or the welcome of a resume), none twice.
        const start = w === back ? lastSeen.seq : w.frames.find((f) => f.t === 'snapshot')!.seq;
        const seqs = w.frames.filter((f) => f.t === 'batch' && !f.personal).map((f) => f.seq as number);
        expect(seqs).toEqual(seqs.map((_, i) => start + 1 + i));
      }
      for (const w of watchers) expect(w.events('announcement').map((e) => e.text)).toEqual(texts);
      expect(back.events('announcement').map((e) => e.text)).toEqual(texts.slice(3));
      for (const w of [...watchers, back]) w.close();
    });

    it('refuses a socket opened from another site’s page', async () => {
      const { sessionId } = await room(server(), 0);
      const socket = await RoomSocket.open(server(), sessionId, { origin: 'https://evil.example', hello: false });
      expect((await socket.next((f) => f.t === 'error')).code).toBe('WS_ORIGIN_FORBIDDEN');
      expect((await socket.closedWith()).code).toBe(4003);
      const missing = await RoomSocket.open(server(), '00000000-0000-7000-8000-000000000000', { hello: false });
      expect((await missing.closedWith()).code).toBe(4004);
    });
  },
  { listen: true, env: { ROOM_CHAT_MAX_PER_TICK: '3', ROOM_TICK_MS: '100', ROOM_VIEWERS_PER_GROUP: '4', LOGIN_RATE_LIMIT_PER_MIN: '100000' } },
);

// A room that lets through one ordinary message per 2 s tick: the eight posted at once are more than
// that however long the server takes to accept them (it would have to take 12 s), so they are thinned
// on any machine.
describeEachDatabase(
  'the live room under a chat storm',
  ({ server }) => {
    it('thins ordinary chat when it runs faster than people read, but always delivers the streamer', async () => {
      const { sessionId, host, viewers } = await room(server(), 8);
      const watcher = await RoomSocket.open(server(), sessionId);
      const talkers = await Promise.all(viewers.map((v) => RoomSocket.open(server(), sessionId, { client: v.client })));
      const hostSocket = await RoomSocket.open(server(), sessionId, { client: host.client });
      // Ten sockets in groups of four: a room of several write groups, where each group gets its
      // ordinary chat in its own unnumbered `chat` frame, the newest first in line.
      expect(server().services.hubs.peek(sessionId)!.groupCount()).toBe(3);
      await Promise.all([...talkers.map((t, i) => t.chat(`观众消息 ${i}`)), hostSocket.chat('主播：马上开抢')]);
      const frame = await watcher.next((f) => f.t === 'chat' && f.thinned > 0, 10_000);
      expect(frame.seq).toBeUndefined();
      // At most two turns' worth (1 per 2 s tick, saved up while the room was quiet) of the eight.
      const shown = frame.events.filter((e: { type: string }) => e.type === 'chat');
      expect(shown.length).toBeLessThanOrEqual(2);
      // The eight may land on both sides of the watcher's turn: then two chat frames share them.
      const chatFrames = () => watcher.frames.filter((f) => f.t === 'chat');
      const accounted = () => chatFrames().reduce((n, f) => n + f.events.filter((e: { type: string }) => e.type === 'chat').length + (f.thinned ?? 0), 0);
      await watcher.next(() => accounted() >= 8, 10_000).catch(() => undefined);
      expect(chatFrames().every((f) => f.seq === undefined && f.events.length <= 2)).toBe(true);
      expect(accounted()).toBe(8);
      // The streamer's message is never thinned: it comes in a numbered batch, to everyone.
      const streamer = await watcher.next((f) => f.t === 'batch' && f.events.some((e: { text?: string }) => e.text === '主播：马上开抢'), 10_000);
      expect(streamer.events.find((e: { text?: string }) => e.text === '主播：马上开抢').user.role).toBe('streamer');
      for (const s of [watcher, hostSocket, ...talkers]) s.close();
    });
  },
  { listen: true, env: { ROOM_CHAT_MAX_PER_TICK: '1', ROOM_TICK_MS: '2000', ROOM_VIEWERS_PER_GROUP: '4', LOGIN_RATE_LIMIT_PER_MIN: '100000' } },
);
