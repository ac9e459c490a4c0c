import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ingestMedia } from '../media/ingest.js';
import type { Db } from '../storage/db.js';
import { addMember, createProject } from '../storage/projects.js';
import { createUser, type Role } from '../storage/users.js';
import { generateSyntheticVideo, writeMp4 } from '../synthetic/index.js';

export interface Credentials {
  username: string;
  password: string;
  role: Role;
}

/**
 * First start on an empty database: three accounts (passwords random, kept in credentials.json next to the
 * database so they can be printed again) and a sample project with a video generated here and encoded by ffmpeg.
 */
export async function ensureSample(
  db: Db,
  dataDir: string,
  mediaRoot: string,
  log: (s: string) => void,
): Promise<Credentials[]> {
  const credFile = join(dataDir, 'credentials.json');
  const users = await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM users');
  if (Number(users?.n) > 0)
    return existsSync(credFile) ? (JSON.parse(readFileSync(credFile, 'utf8')) as Credentials[]) : [];
  const creds: Credentials[] = (['admin', 'annotator', 'reviewer'] as const).map((role) => ({
    username: role,
    password: randomBytes(9).toString('base64url'),
    role,
  }));
  const made = [];
  for (const c of creds) made.push(await createUser(db, c.username, c.password, c.role));
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(credFile, `${JSON.stringify(creds, null, 2)}\n`, { mode: 0o600 });
  const project = await createProject(
    db,
    'Sample: synthetic object under scale change and rotation',
    {
      classes: [
        { name: 'object', color: '#ff5252', attributes: [{ name: 'moving', type: 'checkbox' }] },
        { name: 'person', color: '#40c4ff', attributes: [] },
        {
          name: 'car',
          color: '#ffd740',
          attributes: [{ name: 'colour', type: 'select', options: ['red', 'blue', 'other'] }],
        },
      ],
    },
    made[0],
  );
  for (const u of made.slice(1)) await addMember(db, project.id, u.id);
  log('generating the sample video (synthetic textured object, H.264 via ffmpeg)…');
  const video = generateSyntheticVideo({
    seed: 20261123,
    challenges: ['scale', 'rotation', 'lighting'],
    frameCount: 150,
  });
  const tmp = join(dataDir, 'uploads');
  mkdirSync(tmp, { recursive: true });
  const path = join(tmp, `sample-${Date.now()}.mp4`);
  try {
    await writeMp4(video, path);
    await ingestMedia(db, mediaRoot, project.id, path, 'sample-synthetic.mp4');
  } finally {
    rmSync(path, { force: true });
  }
  return creds;
}
