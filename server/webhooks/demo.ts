import type { Webhooks } from './index.ts';

/**
 * The open platform in the demo (docs/WEBHOOKS.md): 德兴斋 has an API key for its ERP (its secret is
 * not kept anywhere) and a webhook endpoint at an example address. The endpoint is disabled, so the
 * demo never sends anything out of the machine and its delivery log stays empty until someone enables
 * it with a real receiver.
 */
export async function seedOpenPlatformDemo(webhooks: Webhooks, input: { orgId: string; userId: string }) {
  await webhooks.apiKeys.create(input.orgId, { name: '德兴斋 ERP 对接', scopes: ['orders:read', 'events:read'] }, input.userId);
  const { endpoint } = await webhooks.endpoints.create(
    input.orgId,
    { url: 'https://erp.dexingzhai.example/hooks/zhibo', description: '示例：ERP 订单同步（已停用，换成真实地址后启用）', eventTypes: ['order.paid', 'order.shipped', 'order.refunded'] },
    input.userId,
    { origins: [], hosts: [], ports: [] },
  );
  await webhooks.endpoints.update(input.orgId, endpoint.id, { enabled: false }, { origins: [], hosts: [], ports: [] });
}
