import { readFileSync } from 'node:fs';
import { Router } from 'express';
import { z } from 'zod';
import { createServiceClient, notFound, type Logger } from '@tourkit/kit';
import type { Upstream } from '../domain/routing.js';
import { createTtlMemo } from '../domain/ttl-memo.js';

/** How long a service's document is served from memory before it is fetched again. */
export const OPENAPI_CACHE_SECONDS = 300;

export interface OpenapiRoutesOptions {
  /** The gateway's own document (also served at /openapi.yaml by the kit). */
  ownSpecPath: string;
  /** The public API as one document (hack/openapi/generate.ts), served at /v1/openapi.json. */
  publicSpecPath: string;
  /** Base URL of each routed service; each serves its document at GET /openapi.yaml. */
  upstreams: Record<Upstream, string>;
  timeoutMs: number;
  logger: Logger;
  now?: () => number;
}

/**
 * /v1/openapi.json is the public API as one document; /v1/openapi lists the services' documents; /v1/openapi/<service>.yaml is the gateway's own, or the one the
 * running service serves at /openapi.yaml, kept for OPENAPI_CACHE_SECONDS. Fetched rather than
 * bundled so that it always describes the version deployed, whatever the gateway's version.
 * A service that is down or answers an error → 502 problem (504 after `timeoutMs`).
 */
export function openapiRoutes(options: OpenapiRoutesOptions): Router {
  const own = readFileSync(options.ownSpecPath, 'utf8');
  const publicDocument = readFileSync(options.publicSpecPath, 'utf8');
  const clients = new Map(
    Object.entries(options.upstreams).map(([service, baseUrl]) => [
      service,
      createServiceClient({
        name: service,
        baseUrl,
        timeoutMs: options.timeoutMs,
        retries: 1,
        logger: options.logger,
      }),
    ]),
  );
  const documents = createTtlMemo<string>(OPENAPI_CACHE_SECONDS * 1000, options.now);
  const services = ['gateway', ...clients.keys()];

  const router = Router();
  // Generated from the services' documents of this very version (bundled, not fetched): what a
  // client generator and the /docs page read.
  router.get('/v1/openapi.json', (_req, res) => {
    res.type('application/json').set('cache-control', 'public, max-age=300').send(publicDocument);
  });
  router.get('/v1/openapi', (_req, res) => {
    res.json({
      specs: services.map((service) => ({ service, url: `/v1/openapi/${service}.yaml` })),
    });
  });
  router.get('/v1/openapi/:file', async (req, res) => {
    const service = /^([a-z]+)\.yaml$/.exec(req.params.file)?.[1];
    const client = service ? clients.get(service) : undefined;
    if (service === 'gateway') {
      res.type('application/yaml').send(own);
      return;
    }
    if (!service || !client) throw notFound(`No OpenAPI document ${req.params.file}.`);
    const document = await documents.get(service, () =>
      // A YAML document is a string; a JSON body (an object) is not one → 502 invalid-response.
      client.get('/openapi.yaml', { schema: z.string().min(1) }),
    );
    res.type('application/yaml').send(document);
  });
  return router;
}
