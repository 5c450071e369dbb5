import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import express, { type RequestHandler, type Router } from 'express';

/** Vite puts a content hash in every name under assets/: such a file never changes. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** index.html names the current assets, so the browser must revalidate it on every visit. */
const REVALIDATE = 'no-cache';
/** Anything else at the root (favicon): a short cache. */
const SHORT = 'public, max-age=300';

/**
 * Only our own origin may run scripts or be framed; no inline script. Styles may be inline because
 * React sets `style` attributes; images may be data: URLs.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

export function indexHtmlPath(staticDir: string): string {
  return path.join(staticDir, 'index.html');
}

/** The bundle is there (readiness: a pod without it cannot serve the app). */
export function bundlePresent(staticDir: string): boolean {
  return existsSync(indexHtmlPath(staticDir));
}

/**
 * Serves the built app: hashed assets cached for a year, index.html revalidated, and every other
 * GET that asks for HTML (a deep link such as /tours/<id> or the e-mailed /bookings/<id>/pay)
 * answered with index.html so the app's router takes over.
 */
export function staticApp(staticDir: string): Router {
  const router = express.Router();
  router.use(securityHeaders);
  router.use(
    express.static(staticDir, {
      index: false,
      fallthrough: true,
      setHeaders: (res, file) => {
        const relative = path.relative(staticDir, file);
        res.setHeader(
          'cache-control',
          relative.startsWith(`assets${path.sep}`)
            ? IMMUTABLE
            : relative === 'index.html'
              ? REVALIDATE
              : SHORT,
        );
      },
    }),
  );
  let index: string | undefined;
  router.get(/.*/, (req, res, next) => {
    // An asset that is not there is a 404, not the app (a stale tab asking for an old hash).
    if (req.path.startsWith('/assets/') || !req.accepts('html')) {
      next();
      return;
    }
    index ??= readFileSync(indexHtmlPath(staticDir), 'utf8');
    res.set('cache-control', REVALIDATE).type('html').send(index);
  });
  return router;
}

const securityHeaders: RequestHandler = (_req, res, next) => {
  res.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'same-origin');
  next();
};
