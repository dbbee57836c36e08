// The live room's shapes, from docs/realtime-protocol.md (v1).

export type RoomRole = 'viewer' | 'streamer' | 'assistant' | 'operator';

export type RoomProduct = {
  id: string;
  title: string;
  priceFen: number;
  livePriceFen: number | null;
  image: string | null;
  link: number;
};

export type CouponDrop = { id: string; title: string; amountOffFen: number; total: number; remaining: number; endsAt: string };

export type LuckyBagCondition = { kind: 'keyword'; keyword: string } | { kind: 'follow' };

export type LuckyBag = {
  id: string;
  prize: string;
  condition: LuckyBagCondition;
  winners: number;
  drawAt: string;
  commitment: string;
  status: 'open' | 'drawn';
  seed?: string;
  winnerIds?: string[];
};

export type ChatUser = { id: string; name: string; role: string };

export type Chat = { id: string; user: ChatUser; text: string; at: string; priority?: boolean };

export type RoomSettings = { slowModeSeconds: number; followersOnly: boolean };

export type RoomCounts = { online: number; peak: number; uv: number; likes: number };

export type RoomState = {
  status: 'scheduled' | 'live' | 'ended';
  announcement: string | null;
  pinned: RoomProduct | null;
  products: RoomProduct[];
  coupon: CouponDrop | null;
  luckyBag: LuckyBag | null;
  recentChat: Chat[];
  settings: RoomSettings;
  counts: RoomCounts;
};

export type Purchase = { buyer: string; product: string; quantity: number };

export type Notice = { code: string; message: string };

/** One room event as it arrives in a batch (fields as in the protocol's Events table). */
export type RoomEvent =
  | ({ type: 'chat' } & Chat)
  | { type: 'chat.deleted'; id: string }
  | { type: 'pin'; product: RoomProduct | null }
  | { type: 'announcement'; text: string | null }
  | { type: 'coupon.started' | 'coupon.updated' | 'coupon.ended'; coupon: CouponDrop }
  | { type: 'luckybag.started' | 'luckybag.drawn'; luckyBag: LuckyBag }
  | ({ type: 'purchase' } & Purchase)
  | ({ type: 'settings' } & RoomSettings)
  | ({ type: 'notice' } & Notice)
  | { type: 'status'; status: RoomState['status'] }
  /** The 小黄车 list changed (docs/COMMERCE.md): it replaces `products`. */
  | { type: 'products'; products: RoomProduct[] }
  /** Flash sales (秒杀): the sale itself is read by the shop (`web/src/shop`). */
  | { type: 'flash.started'; flashSale: unknown }
  | { type: 'flash.stock'; saleId: string; remaining: number }
  | { type: 'flash.ended'; saleId: string }
  /** The whole state, resent after the server lost Redis for a while (its chat list is left out). */
  | { type: 'state'; state: Omit<RoomState, 'recentChat'> };

export type RoomYou = { id: string; name: string; role: RoomRole } | null;

/** Server → client frames. */
export type ServerFrame =
  | { t: 'welcome'; v: number; room: string; you: RoomYou; seq: number; resumed: boolean }
  | { t: 'snapshot'; seq: number; state: RoomState }
  | { t: 'batch'; seq: number; events: RoomEvent[]; counts?: RoomCounts; thinned?: number }
  /** A large room's sampled ordinary chat: not numbered, not replayed. */
  | { t: 'chat'; events: RoomEvent[]; thinned?: number }
  | { t: 'ack'; nonce: string; id: string; status: 'shown' | 'masked'; text?: string }
  | { t: 'error'; code: string; message: string; nonce?: string }
  | { t: 'pong' };

/** A failed room action: the server's stable code and its localized message. */
export type RoomActionError = { code: string; message: string };
