import type { FastifyInstance } from 'fastify';
import { parseInput } from '../platform/validate.ts';
import { AssistantParams, LaunchBody, PresetBody, PresetParams, PresetPatch, RightsBody, SessionParams } from './schema.ts';
import type { Cockpit } from './service.ts';

/** The cockpit's HTTP API (docs/COCKPIT.md). Rights are checked in the services, on every route. */
export function cockpitRoutes(app: FastifyInstance, cockpit: Cockpit) {
  const user = { kind: 'user' } as const;
  const streamer = { kind: 'platform', roles: ['streamer'] } as const;

  app.get('/api/rooms/:id/cockpit', { schema: { tags: ['cockpit'], summary: "A live's cockpit (中控台)", params: SessionParams }, config: { access: user } }, async (request) => {
    const { id } = parseInput(SessionParams, request.params, request.locale);
    return cockpit.me(id, request.user!);
  });

  app.get('/api/rooms/:id/numbers', { schema: { tags: ['cockpit'], summary: 'Live numbers of a room', params: SessionParams }, config: { access: user } }, async (request) => {
    const { id } = parseInput(SessionParams, request.params, request.locale);
    return { numbers: await cockpit.numbers(id, request.user!) };
  });

  // --- presets: kept per streamer, reached through any of their lives ---
  app.get('/api/rooms/:id/presets', { schema: { tags: ['cockpit'], summary: 'List room presets', params: SessionParams }, config: { access: user } }, async (request) => {
    const { id } = parseInput(SessionParams, request.params, request.locale);
    return { presets: await cockpit.presets(id, request.user!) };
  });
  app.post('/api/rooms/:id/presets', { schema: { tags: ['cockpit'], summary: 'Create room preset', params: SessionParams, body: PresetBody }, config: { access: user } }, async (request, reply) => {
    const { id } = parseInput(SessionParams, request.params, request.locale);
    const body = parseInput(PresetBody, request.body, request.locale);
    reply.code(201);
    return { preset: await cockpit.createPreset(id, request.user!, body) };
  });
  app.patch('/api/rooms/:id/presets/:presetId', { schema: { tags: ['cockpit'], summary: 'Update preset', params: PresetParams, body: PresetPatch }, config: { access: user } }, async (request) => {
    const { id, presetId } = parseInput(PresetParams, request.params, request.locale);
    const body = parseInput(PresetPatch, request.body, request.locale);
    return { preset: await cockpit.updatePreset(id, request.user!, presetId, body) };
  });
  app.delete('/api/rooms/:id/presets/:presetId', { schema: { tags: ['cockpit'], summary: 'Delete preset', params: PresetParams }, config: { access: user } }, async (request, reply) => {
    const { id, presetId } = parseInput(PresetParams, request.params, request.locale);
    await cockpit.deletePreset(id, request.user!, presetId);
    return reply.code(204).send();
  });
  app.post('/api/rooms/:id/presets/:presetId/launch', { schema: { tags: ['cockpit'], summary: 'Launch preset', params: PresetParams, body: LaunchBody }, config: { access: user } }, async (request, reply) => {
    const { id, presetId } = parseInput(PresetParams, request.params, request.locale);
    const body = parseInput(LaunchBody, request.body ?? {}, request.locale);
    reply.code(201);
    return cockpit.launch(id, request.user!, presetId, body);
  });

  // --- assistants (场控): the streamer sets what each may do ---
  app.get('/api/streamer/assistants', { schema: { tags: ['cockpit'], summary: "List streamer's assistants" }, config: { access: streamer } }, async (request) => ({ assistants: await cockpit.assistants(request.user!.id) }));
  app.put('/api/streamer/assistants/:userId/rights', { schema: { tags: ['cockpit'], summary: "Set streamer's assistant rights", params: AssistantParams, body: RightsBody }, config: { access: streamer } }, async (request) => {
    const { userId } = parseInput(AssistantParams, request.params, request.locale);
    const { rights } = parseInput(RightsBody, request.body, request.locale);
    return { assistant: await cockpit.setRights(request.user!.id, userId, rights) };
  });
  app.delete('/api/streamer/assistants/:userId', { schema: { tags: ['cockpit'], summary: "Delete streamer's assistant", params: AssistantParams }, config: { access: streamer } }, async (request, reply) => {
    const { userId } = parseInput(AssistantParams, request.params, request.locale);
    await cockpit.removeAssistant(request.user!.id, userId);
    return reply.code(204).send();
  });
  app.get('/api/me/assisting', { schema: { tags: ['cockpit'], summary: 'Lives I assist in (场控)' }, config: { access: user } }, async (request) => ({ streamers: await cockpit.assisting(request.user!.id) }));
}
