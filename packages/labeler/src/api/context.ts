import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import type { DetectorPool } from '../detect/detector-pool.js';
import type { OnnxDetector } from '../detect/onnx-detector.js';
import { forbidden, HttpError } from '../errors/http-error.js';
import type { TrackJobs } from '../jobs/track-jobs.js';
import type { Db } from '../storage/db.js';
import { getMedia, type Media } from '../storage/media.js';
import { type Project, projectFor } from '../storage/projects.js';
import { type User, userForSession } from '../storage/users.js';

export interface AppConfig {
  db: Db;
  dataDir: string;
  mediaRoot: string;
  maxUploadBytes: number;
  jobs: TrackJobs;
  detector: DetectorPool;
  /** A user-supplied ONNX detector (serve --onnx), used when a request asks for detector "onnx". */
  onnx?: OnnxDetector;
}

export const SESSION_COOKIE = 'tessera_session';

export async function currentUser(cfg: AppConfig, c: Context): Promise<User> {
  const token = getCookie(c, SESSION_COOKIE);
  const user = token ? await userForSession(cfg.db, token) : null;
  if (!user) throw new HttpError(401, 'sign in first (POST /api/auth/login)');
  return user;
}

export type Need = 'read' | 'edit' | 'review';

function check(user: User, need: Need) {
  if (need === 'edit' && user.role === 'reviewer')
    throw forbidden(`role reviewer cannot edit annotations; an annotator or admin can`);
  if (need === 'review' && user.role === 'annotator')
    throw forbidden('role annotator cannot review; a reviewer or admin can');
}

export async function projectAccess(cfg: AppConfig, c: Context, projectId: number, need: Need) {
  const user = await currentUser(cfg, c);
  const project: Project = await projectFor(cfg.db, projectId, user);
  check(user, need);
  return { user, project };
}

export async function mediaAccess(cfg: AppConfig, c: Context, mediaId: number, need: Need) {
  const media: Media = await getMedia(cfg.db, mediaId);
  const { user, project } = await projectAccess(cfg, c, media.projectId, need);
  return { user, project, media };
}

export function checkFrame(media: Media, frame: number) {
  if (frame >= media.frameCount) {
    throw new HttpError(
      404,
      `frame ${frame} does not exist; media ${media.id} has frames 0..${media.frameCount - 1}`,
    );
  }
}
