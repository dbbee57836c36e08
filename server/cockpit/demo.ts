import type { Db } from '../platform/db.ts';
import type { CockpitPresetKind } from '../platform/db-types.ts';
import { newId } from '../platform/ids.ts';
import { storeRights, type AssistantRight } from './rights.ts';
import { PRESET_PAYLOADS } from './schema.ts';

/** The demo streamer's presets, as a streamer would save them once (docs/COCKPIT.md). */
export const DEMO_PRESETS: { kind: CockpitPresetKind; name: string; payload: Record<string, unknown> }[] = [
  // No SKU: the sale goes to whatever product is pinned (讲解中) when it is launched.
  { kind: 'flash_sale', name: '9.9 秒杀 100 件 60 秒', payload: { priceFen: 990, stock: 100, perUserLimit: 1, startsInSeconds: 0, durationSeconds: 60 } },
  { kind: 'coupon', name: '10 元券 50 张 2 分钟', payload: { title: '直播间 10 元立减券', amountOffFen: 1000, total: 50, seconds: 120 } },
  { kind: 'lucky_bag', name: '关注抽奖 3 人', payload: { prize: '德兴斋蝴蝶酥礼盒', winners: 3, condition: { kind: 'follow' }, drawInSeconds: 300 } },
];

/** The demo 场控's rights: chat, the 小黄车 and coupons; no flash sales, lucky bags or presets. */
export const DEMO_ASSISTANT_RIGHTS: AssistantRight[] = ['moderate', 'products', 'coupons'];

export async function seedCockpitDemo(db: Db, input: { streamerId: string; assistantId: string; at: string }) {
  for (const [i, preset] of DEMO_PRESETS.entries()) {
    // Checked like any preset, so the demo never holds one the launch would refuse.
    const payload = PRESET_PAYLOADS[preset.kind].parse(preset.payload);
    const at = new Date(Date.parse(input.at) + i).toISOString();
    await db
      .insertInto('cockpit_presets')
      .values({ id: newId(), streamer_id: input.streamerId, kind: preset.kind, name: preset.name, payload: JSON.stringify(payload), created_by: input.streamerId, created_at: at, updated_at: at, launched_at: null, launch_count: 0 })
      .execute();
  }
  await db.insertInto('room_assistants').values({ streamer_id: input.streamerId, user_id: input.assistantId, created_at: input.at, rights: storeRights(DEMO_ASSISTANT_RIGHTS) }).execute();
}
