import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { forbidden, HttpError } from '../errors/http-error.js';
import { createUser, listUsers, login, logout } from '../storage/users.js';
import { type AppConfig, currentUser, SESSION_COOKIE } from './context.js';
import type { ApiRegistry } from './registry.js';

const roleSchema = z.enum(['admin', 'annotator', 'reviewer']);

export function authRoutes(api: ApiRegistry, cfg: AppConfig) {
  api.route(
    {
      method: 'post',
      path: '/api/auth/login',
      tag: 'auth',
      summary: 'Sign in; sets the session cookie',
      auth: false,
      body: z.object({ username: z.string().min(1), password: z.string().min(1) }),
      responses: { '401': 'wrong username or password' },
    },
    async (c, body) => {
      const r = await login(cfg.db, body.username, body.password);
      if (!r) throw new HttpError(401, 'wrong username or password');
      setCookie(c, SESSION_COOKIE, r.token, {
        httpOnly: true,
        sameSite: 'Lax',
        path: '/',
        maxAge: 7 * 24 * 3600,
      });
      return c.json(r.user);
    },
  );
  api.route({ method: 'post', path: '/api/auth/logout', tag: 'auth', summary: 'Sign out' }, async (c) => {
    const token = getCookie(c, SESSION_COOKIE);
    if (token) await logout(cfg.db, token);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.json({ ok: true });
  });
  api.route({ method: 'get', path: '/api/me', tag: 'auth', summary: 'The signed-in user' }, async (c) =>
    c.json(await currentUser(cfg, c)),
  );
  api.route({ method: 'get', path: '/api/users', tag: 'users', summary: 'All users (admin)' }, async (c) => {
    const u = await currentUser(cfg, c);
    if (u.role !== 'admin') throw forbidden('only an admin can list users');
    return c.json(await listUsers(cfg.db));
  });
  api.route(
    {
      method: 'post',
      path: '/api/users',
      tag: 'users',
      summary: 'Create a user (admin)',
      body: z.object({ username: z.string().min(1).max(64), password: z.string().min(8), role: roleSchema }),
      responses: { '409': 'username taken' },
    },
    async (c, body) => {
      const u = await currentUser(cfg, c);
      if (u.role !== 'admin') throw forbidden('only an admin can create users');
      return c.json(await createUser(cfg.db, body.username, body.password, body.role), 201);
    },
  );
}
