import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Router } from 'express';
import { notFound, type Logger } from '@tourkit/kit';

/** Specs the gateway publishes: its own and those of the services it routes to. */
export const OPENAPI_SERVICES = ['gateway', 'catalog', 'user', 'booking', 'review'] as const;

/**
 * Serves `<dir>/<service>/openapi.yaml` as /v1/openapi/<service>.yaml, read once at start-up: the
 * image bundles the specs of the version it was built with, so the gateway never depends on a
 * service being up to document it. A missing file leaves that service out of the index.
 */
export async function openapiRoutes(dir: string, logger: Logger): Promise<Router> {
  const specs = new Map<string, string>();
  for (const service of OPENAPI_SERVICES) {
    try {
      specs.set(service, await readFile(join(dir, service, 'openapi.yaml'), 'utf8'));
    } catch (error) {
      logger.warn({ err: error, service, dir }, 'OpenAPI spec not found; left out of the index');
    }
  }
  const router = Router();
  router.get('/v1/openapi', (_req, res) => {
    res.json({
      specs: [...specs.keys()].map((service) => ({
        service,
        url: `/v1/openapi/${service}.yaml`,
      })),
    });
  });
  router.get('/v1/openapi/:file', (req, res) => {
    const match = /^([a-z]+)\.yaml$/.exec(req.params.file);
    const spec = match ? specs.get(match[1]!) : undefined;
    if (spec === undefined) throw notFound(`No OpenAPI document ${req.params.file}.`);
    res.type('application/yaml').send(spec);
  });
  return router;
}
