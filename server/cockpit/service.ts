import type { z } from 'zod';
import type { AuthUser } from '../accounts/service.ts';
import type { Commerce } from '../commerce/index.ts';
import { flashPriceRefusal } from '../commerce/pricing.ts';
import type { Clock } from '../platform/clock.ts';
import type { CockpitPresetsTable } from '../platform/db-types.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import type { RoomBus } from '../room/bus.ts';
import type { RoomService } from '../room/service.ts';
import { parseRights, storeRights, type AssistantRight } from './rights.ts';
import { PRESET_PAYLOADS, type PresetKind } from './schema.ts';
import type { CockpitStore } from './store.ts';

/** Presets one streamer keeps: a cockpit shows them as buttons, so a short list. */
export const PRESET_LIMIT = 50;

/** Which right launching (or showing) each kind of preset takes. */
const RIGHT_FOR: Record<PresetKind, AssistantRight> = { flash_sale: 'flash_sales', coupon: 'coupons', lucky_bag: 'lucky_bags' };

export type CockpitDeps = { store: CockpitStore; room: RoomService; bus: RoomBus; commerce: Commerce; clock: Clock };

/** Checks a payload against its kind's launch limits; COCKPIT_PRESET_INVALID names each failing field. */
function validPayload<K extends PresetKind>(kind: K, payload: unknown): z.output<(typeof PRESET_PAYLOADS)[K]> {
  const result = (PRESET_PAYLOADS[kind] as unknown as z.ZodType<z.output<(typeof PRESET_PAYLOADS)[K]>>).safeParse(payload);
  if (!result.success) {
    throw new AppError(
      'COCKPIT_PRESET_INVALID',
      { kind },
      result.error.issues.map((i) => ({ path: ['payload', ...i.path.map(String)].join('.'), code: i.code.toUpperCase(), message: i.message })),
    );
  }
  return result.data;
}

function presetView(row: CockpitPresetsTable) {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    payload: JSON.parse(row.payload) as Record<string, unknown>,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    launchedAt: row.launched_at,
    launchCount: Number(row.launch_count),
  };
}

/** The streamer's cockpit (中控台): live numbers, presets launched in one tap, and assistants' rights. */
export function createCockpit(deps: CockpitDeps) {
  const { store, room, bus, commerce, clock } = deps;
  const now = () => clock.now().toISOString();

  /** The preset, if it belongs to the session's streamer. */
  async function ownPreset(streamerId: string, presetId: string) {
    const row = await store.findPreset(presetId);
    if (!row) throw new AppError('COCKPIT_PRESET_NOT_FOUND');
    if (row.streamer_id !== streamerId) throw new AppError('COCKPIT_PRESET_NOT_YOURS');
    return row;
  }

  /** A flash-sale preset that names its SKU keeps the flash sale's price rule: not above the SKU's own price. */
  async function priceWithinSku(kind: PresetKind, checked: object) {
    if (kind !== 'flash_sale') return;
    const payload = checked as z.output<(typeof PRESET_PAYLOADS)['flash_sale']>;
    if (!payload.skuId) return;
    const skuPrice = await store.skuPrice(payload.skuId);
    if (skuPrice === undefined) throw new AppError('SKU_NOT_FOUND');
    const refusal = flashPriceRefusal(payload.priceFen, skuPrice);
    if (refusal) throw new AppError(refusal.refused, refusal.params);
  }

  return {
    /** Who the caller is in this live and what they may do (the cockpit hides the rest). */
    async me(sessionId: string, user: AuthUser) {
      const info = await room.session(sessionId);
      const { role, rights } = await room.rightsOf(info, user);
      if (role === 'viewer') throw new AppError('FORBIDDEN');
      return { role, rights, streamerId: info.streamerId, status: info.status };
    },

    /** The live numbers: room counts from the bus, orders and GMV (fen) from this session's paid orders. */
    async numbers(sessionId: string, user: AuthUser) {
      const { info } = await room.requireStaff(sessionId, user);
      const [counts, paid] = await Promise.all([bus.counts(sessionId), store.paidOrders(sessionId)]);
      return {
        status: info.status,
        online: counts.online,
        peakOnline: counts.peak,
        uniqueViewers: counts.uv,
        likes: counts.likes,
        ...paid,
        at: now(),
      };
    },

    async presets(sessionId: string, user: AuthUser) {
      const { info } = await room.requireStaff(sessionId, user);
      return (await store.presets(info.streamerId)).map(presetView);
    },

    async createPreset(sessionId: string, user: AuthUser, input: { kind: PresetKind; name: string; payload: unknown }) {
      const { info } = await room.requireStaff(sessionId, user, 'presets');
      const payload = validPayload(input.kind, input.payload);
      await priceWithinSku(input.kind, payload);
      if ((await store.presetCount(info.streamerId)) >= PRESET_LIMIT) throw new AppError('COCKPIT_PRESET_LIMIT', { limit: PRESET_LIMIT });
      const at = now();
      const row: CockpitPresetsTable = { id: newId(), streamer_id: info.streamerId, kind: input.kind, name: input.name, payload: JSON.stringify(payload), created_by: user.id, created_at: at, updated_at: at, launched_at: null, launch_count: 0 };
      await store.insertPreset(row);
      return presetView(row);
    },

    async updatePreset(sessionId: string, user: AuthUser, presetId: string, patch: { name?: string; payload?: unknown }) {
      const { info } = await room.requireStaff(sessionId, user, 'presets');
      const row = await ownPreset(info.streamerId, presetId);
      const checked = patch.payload === undefined ? undefined : validPayload(row.kind, patch.payload);
      if (checked) await priceWithinSku(row.kind, checked);
      const payload = checked && JSON.stringify(checked);
      await store.updatePreset(presetId, { ...(patch.name !== undefined && { name: patch.name }), ...(payload !== undefined && { payload }), updated_at: now() });
      return presetView((await store.findPreset(presetId))!);
    },

    async deletePreset(sessionId: string, user: AuthUser, presetId: string) {
      const { info } = await room.requireStaff(sessionId, user, 'presets');
      await ownPreset(info.streamerId, presetId);
      await store.deletePreset(presetId);
    },

    /** One tap: the preset goes through the same code as the launch endpoint of its kind. */
    async launch(sessionId: string, user: AuthUser, presetId: string, input: { skuId?: string }) {
      const { info } = await room.requireStaff(sessionId, user);
      const row = await ownPreset(info.streamerId, presetId);
      const right = RIGHT_FOR[row.kind];
      const { rights } = await room.rightsOf(info, user);
      if (!rights.includes(right)) throw new AppError('COCKPIT_RIGHT_MISSING', { right });
      // Stored payloads were valid when saved; checked again in case the limits changed since.
      let launched: Record<string, unknown>;
      if (row.kind === 'flash_sale') {
        const payload = validPayload('flash_sale', JSON.parse(row.payload));
        let skuId = input.skuId ?? payload.skuId;
        if (!skuId) {
          const pinned = (await room.state(sessionId)).pinned;
          const sku = pinned ? await store.cheapestSku(pinned.id) : undefined;
          if (!sku) throw new AppError('COCKPIT_PRESET_NEEDS_PRODUCT');
          skuId = sku.id;
        }
        launched = { flashSale: await commerce.flash.create(sessionId, user, { ...payload, skuId }) };
      } else if (row.kind === 'coupon') {
        launched = { coupon: await room.startCouponDrop(sessionId, user, validPayload('coupon', JSON.parse(row.payload))) };
      } else {
        launched = { luckyBag: await room.startLuckyBag(sessionId, user, validPayload('lucky_bag', JSON.parse(row.payload))) };
      }
      await store.markLaunched(presetId, now());
      return { preset: presetView((await store.findPreset(presetId))!), ...launched };
    },

    // --- assistants (场控) and their rights ---
    async assistants(streamerId: string) {
      return (await store.assistants(streamerId)).map((r) => ({ id: r.user_id, displayName: r.display_name, login: r.phone ?? r.email, rights: parseRights(r.rights), since: r.created_at }));
    },

    async setRights(streamerId: string, userId: string, rights: AssistantRight[]) {
      if (!(await store.setRights(streamerId, userId, storeRights(rights)))) throw new AppError('COCKPIT_ASSISTANT_NOT_FOUND');
      room.forgetAssistant(streamerId, userId);
      return (await this.assistants(streamerId)).find((a) => a.id === userId)!;
    },

    async removeAssistant(streamerId: string, userId: string) {
      if (!(await store.removeAssistant(streamerId, userId))) throw new AppError('COCKPIT_ASSISTANT_NOT_FOUND');
      room.forgetAssistant(streamerId, userId);
    },

    /** For an assistant: the streamers they assist and those streamers' upcoming and running lives. */
    async assisting(userId: string) {
      const rows = await store.assisting(userId);
      const sessions = await store.sessionsOf(rows.map((r) => r.streamer_id));
      return rows.map((r) => ({
        streamer: { id: r.streamer_id, displayName: r.display_name },
        rights: parseRights(r.rights),
        sessions: sessions.filter((s) => s.streamer_id === r.streamer_id).map((s) => ({ id: s.id, title: s.title, status: s.status, scheduledAt: s.scheduled_at })),
      }));
    },
  };
}

export type Cockpit = ReturnType<typeof createCockpit>;
