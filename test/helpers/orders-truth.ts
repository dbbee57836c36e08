import type { TestServer } from './server.ts';

/** The orders table's own sums for a live (or one brand's orders of it), computed here independently of server/analytics. */
export async function ordersTruth(server: TestServer, sessionId: string, brandOrgId: string | null = null) {
  let q = server.database.db.selectFrom('orders').select(['total_fen', 'refunded_fen', 'paid_at']).where('session_id', '=', sessionId);
  if (brandOrgId) q = q.where('brand_org_id', '=', brandOrgId);
  const rows = await q.execute();
  const paid = rows.filter((r) => r.paid_at);
  return {
    placedFen: rows.reduce((s, r) => s + Number(r.total_fen), 0),
    paidFen: paid.reduce((s, r) => s + Number(r.total_fen), 0),
    refundedFen: paid.reduce((s, r) => s + Number(r.refunded_fen), 0),
    netFen: paid.reduce((s, r) => s + Number(r.total_fen) - Number(r.refunded_fen), 0),
    placed: rows.length,
    paid: paid.length,
  };
}

/** Just the four GMV figures (the big screen's `gmv`). */
export async function gmvTruth(server: TestServer, sessionId: string) {
  const { placedFen, paidFen, refundedFen, netFen } = await ordersTruth(server, sessionId);
  return { placedFen, paidFen, refundedFen, netFen };
}

/** Puts a live on air or ends it in the database, as publishing and stopping would (tests of its numbers need no video). */
export async function setLiveStatus(server: TestServer, sessionId: string, status: 'live' | 'ended') {
  const at = server.clock.now().toISOString();
  await server.database.db
    .updateTable('live_sessions')
    .set(status === 'live' ? { status, started_at: at } : { status, ended_at: at })
    .where('id', '=', sessionId)
    .execute();
}
