import { timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import type { Metrics } from './metrics.ts';

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * GET /metrics in the Prometheus text format. The figures span tenants, so with a token configured
 * the scraper must send it as a bearer token; without one, the route is open in development and
 * absent (404) in production.
 */
export function metricsRoute(metrics: Metrics, options: { token: string | undefined; production: boolean }): Router {
  const router = Router();
  router.get('/metrics', async (req, res, next) => {
    if (!options.token && options.production) return next();
    if (options.token && !sameSecret(req.headers.authorization ?? '', `Bearer ${options.token}`)) {
      res.status(401).set('www-authenticate', 'Bearer').type('text/plain').send('A metrics token is required.\n');
      return;
    }
    try {
      res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    } catch (error) {
      next(error);
    }
  });
  return router;
}
