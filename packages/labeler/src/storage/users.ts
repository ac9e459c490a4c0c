import { randomBytes } from 'node:crypto';
import { hashPassword, verifyPassword } from '../auth/password.js';
import { badRequest, conflict } from '../errors/http-error.js';
import type { Db } from './db.js';

export type Role = 'admin' | 'annotator' | 'reviewer';
export interface User {
  id: number;
  username: string;
  role: Role;
}

const SESSION_MS = 7 * 24 * 3600 * 1000;

export async function createUser(db: Db, username: string, password: string, role: Role): Promise<User> {
  if (password.length < 8) throw badRequest('password must be at least 8 characters');
  const existing = await db.get('SELECT id FROM users WHERE username = ?', [username]);
  if (existing) throw conflict(`user "${username}" already exists`);
  const hash = await hashPassword(password);
  const row = await db.get<{ id: number }>(
    'INSERT INTO users (username, password_hash, role, created_at) VALUES (?, ?, ?, ?) RETURNING id',
    [username, hash, role, Date.now()],
  );
  return { id: Number(row!.id), username, role };
}

export async function listUsers(db: Db): Promise<User[]> {
  return db.all<User>('SELECT id, username, role FROM users ORDER BY id');
}

export async function getUser(db: Db, id: number): Promise<User | null> {
  return (await db.get<User>('SELECT id, username, role FROM users WHERE id = ?', [id])) ?? null;
}

export async function login(
  db: Db,
  username: string,
  password: string,
): Promise<{ user: User; token: string } | null> {
  const row = await db.get<User & { password_hash: string }>(
    'SELECT id, username, role, password_hash FROM users WHERE username = ?',
    [username],
  );
  if (!row || !(await verifyPassword(password, row.password_hash))) return null;
  const token = randomBytes(32).toString('base64url');
  await db.run('INSERT INTO sessions (token, user_id, expires_at) VALUES (?, ?, ?)', [
    token,
    row.id,
    Date.now() + SESSION_MS,
  ]);
  return { user: { id: row.id, username: row.username, role: row.role }, token };
}

export async function userForSession(db: Db, token: string): Promise<User | null> {
  const row = await db.get<User>(
    'SELECT u.id, u.username, u.role FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token = ? AND s.expires_at > ?',
    [token, Date.now()],
  );
  return row ?? null;
}

export async function logout(db: Db, token: string): Promise<void> {
  await db.run('DELETE FROM sessions WHERE token = ?', [token]);
}
