// Security headers (CSP, X-Frame-Options, nosniff, …) on every answer, set by helmet.
//
// helmet(options) is built once here and applied in an onRequest hook. @fastify/helmet 13 calls
// helmet(options) again for every request, parsing the CSP directives each time; on the cheapest
// logged-in route that was about a tenth of the server's CPU (docs/BENCHMARKS.md, "Booking studios").
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** false on a route whose answer carries no headers of ours (a WebSocket's 101). */
    securityHeaders?: boolean;
  }
}

export function installSecurityHeaders(app: FastifyInstance, options: Readonly<HelmetOptions>): void {
  const apply = helmet(options);
  app.addHook('onRequest', (request, reply, done) => {
    if (request.routeOptions.config?.securityHeaders === false) return done();
    // helmet 8 throws rather than passing an error on; it calls back with none.
    apply(request.raw, reply.raw, () => done());
  });
}
