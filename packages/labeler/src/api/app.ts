import { Hono } from 'hono';
import { HttpError } from '../errors/http-error.js';
import { uiBundle } from '../ui/bundle.js';
import { APP_CSS, INDEX_HTML } from '../ui/page.js';
import type { AppConfig } from './context.js';
import { ApiRegistry } from './registry.js';
import { authRoutes } from './routes-auth.js';
import { detectRoutes } from './routes-detect.js';
import { exportRoutes } from './routes-export.js';
import { importRoutes } from './routes-import.js';
import { mediaRoutes } from './routes-media.js';
import { projectRoutes } from './routes-projects.js';
import { trackRoutes } from './routes-tracks.js';

export function createApp(cfg: AppConfig): Hono {
  const app = new Hono();
  app.onError((err, c) => {
    if (err instanceof HttpError) return c.json({ error: err.message, details: err.details }, err.status);
    if (err instanceof SyntaxError) return c.json({ error: `bad request: ${err.message}` }, 400);
    console.error(err);
    return c.json({ error: `internal error: ${err.message}` }, 500);
  });
  const api = new ApiRegistry(app);
  authRoutes(api, cfg);
  projectRoutes(api, cfg);
  mediaRoutes(api, cfg);
  trackRoutes(api, cfg);
  detectRoutes(api, cfg);
  exportRoutes(api, cfg);
  importRoutes(api, cfg);
  app.get('/api/openapi.json', (c) => c.json(api.document()));
  app.all('/api/*', (c) =>
    c.json({ error: `no such endpoint: ${c.req.method} ${c.req.path} (see /api/openapi.json)` }, 404),
  );
  app.get('/app.js', async (c) =>
    c.body(await uiBundle(), 200, { 'content-type': 'text/javascript; charset=utf-8' }),
  );
  app.get('/app.css', (c) => c.body(APP_CSS, 200, { 'content-type': 'text/css; charset=utf-8' }));
  app.get('*', (c) => c.html(INDEX_HTML));
  return app;
}
