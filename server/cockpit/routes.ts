import type { FastifyInstance } from 'fastify';
import { parseInput } from '../platform/validate.ts';
import { AssistantParams, LaunchBody, PresetBody, PresetParams, PresetPatch, RightsBody, SessionParams } from './schema.ts';
import type { Cockpit } from './service.ts';

/** The cockpit's HTTP API (docs/COCKPIT.md). Rights are checked in the services, on every route. */
export function cockpitRoutes(app: FastifyInstance, cockpit: Cockpit) {
  const user = { kind: 'user' } as const;
  const streamer = { kind: 'platform', roles: ['streamer'] } as const;

  app.get('/api/rooms/:id/cockpit', { config: { access: user } }, async (request) => {
    const { id } = parseInput(SessionParams, request.params, request.locale);
    return cockpit.me(id, request.user!);
  });

  app.get('/api/rooms/:id/numbers', { config: { access: user } }, async (request) => {
    const { id } = parseInput(SessionParams, request.params, request.locale);
    return { numbers: await cockpit.numbers(id, request.user!) };
  });

  // --- presets: kept per streamer, reached through any of their lives ---
  app.get('/api/rooms/:id/presets', { config: { access: user } }, async (request) => {
    const { id } = parseInput(SessionParams, request.params, request.locale);
    return { presets: await cockpit.presets(id, request.user!) };
  });
  app.post('/api/rooms/:id/presets', { config: { access: user } }, async (request, reply) => {
    const { id } = parseInput(SessionParams, request.params, request.locale);
    const body = parseInput(PresetBody, request.body, request.locale);
    reply.code(201);
    return { preset: await cockpit.createPreset(id, request.user!, body) };
  });
  app.patch('/api/rooms/:id/presets/:presetId', { config: { access: user } }, async (request) => {
    const { id, presetId } = parseInput(PresetParams, request.params, request.locale);
    const body = parseInput(PresetPatch, request.body, request.locale);
    return { preset: await cockpit.updatePreset(id, request.user!, presetId, body) };
  });
  app.delete('/api/rooms/:id/presets/:presetId', { config: { access: user } }, async (request, reply) => {
    const { id, presetId } = parseInput(PresetParams, request.params, request.locale);
    await cockpit.deletePreset(id, request.user!, presetId);
    return reply.code(204).send();
  });
  app.post('/api/rooms/:id/presets/:presetId/launch', { config: { access: user } }, async (request, reply) => {
    const { id, presetId } = parseInput(PresetParams, request.params, request.locale);
    const body = parseInput(LaunchBody, request.body ?? {}, request.locale);
    reply.code(201);
    return cockpit.launch(id, request.user!, presetId, body);
  });

  // --- assistants (场控): the streamer sets what each may do ---
  app.get('/api/streamer/assistants', { config: { access: streamer } }, async (request) => ({ assistants: await cockpit.assistants(request.user!.id) }));
  app.put('/api/streamer/assistants/:userId/rights', { config: { access: streamer } }, async (request) => {
    const { userId } = parseInput(AssistantParams, request.params, request.locale);
    const { rights } = parseInput(RightsBody, request.body, request.locale);
    return { assistant: await cockpit.setRights(request.user!.id, userId, rights) };
  });
  app.delete('/api/streamer/assistants/:userId', { config: { access: streamer } }, async (request, reply) => {
    const { userId } = parseInput(AssistantParams, request.params, request.locale);
    await cockpit.removeAssistant(request.user!.id, userId);
    return reply.code(204).send();
  });
  app.get('/api/me/assisting', { config: { access: user } }, async (request) => ({ streamers: await cockpit.assisting(request.user!.id) }));
}
