import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';

/** The page and its script (assets/docs); the renderer's files come from the swagger-ui-dist package. */
const PAGE_DIR = fileURLToPath(new URL('../../assets/docs/', import.meta.url));
const RENDERER_DIR = dirname(
  createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'),
);

/**
 * GET /docs: a reference page of the public API (GET /v1/openapi.json), rendered by Swagger UI from
 * the gateway's own files: no CDN, so it works where the browser reaches nothing but the gateway.
 */
export function docsRoutes(): Router {
  const router = Router();
  router.get('/docs', (_req, res) => {
    res.sendFile('index.html', { root: PAGE_DIR });
  });
  router.get('/docs/init.js', (_req, res) => {
    res.sendFile('init.js', { root: PAGE_DIR });
  });
  router.use(
    '/docs/assets',
    express.static(RENDERER_DIR, { index: false, maxAge: '1h', fallthrough: true }),
  );
  return router;
}
