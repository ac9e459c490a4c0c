import { mkdirSync } from 'node:fs';
import type { Server as HttpServer } from 'node:http';
import { join, resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { createApp } from './api/app.js';
import type { AppConfig } from './api/context.js';
import { detectOnFor } from './api/routes-detect.js';
import { DetectorPool } from './detect/detector-pool.js';
import { OnnxDetector } from './detect/onnx-detector.js';
import { resumeDetectTracks } from './jobs/detect-tracks-job.js';
import { TrackJobs } from './jobs/track-jobs.js';
import { type Credentials, ensureSample } from './sample/sample-project.js';
import type { Db } from './storage/db.js';
import { failOrphanJobs } from './storage/jobs.js';
import { openDb } from './storage/open.js';

export interface ServerOptions {
  /** Where SQLite, media and credentials live; default .tessera/labeler under the working directory. */
  dataDir?: string;
  /** postgres://… to use PostgreSQL instead of the embedded SQLite file. */
  databaseUrl?: string;
  port?: number;
  host?: string;
  maxUploadBytes?: number;
  sample?: boolean;
  /** Path of a user-supplied ONNX detector (YOLOv8 output layout) and its class names. */
  onnxModel?: string;
  onnxLabels?: string[];
  log?: (s: string) => void;
}

export interface RunningServer {
  url: string;
  port: number;
  db: Db;
  config: AppConfig;
  credentials: Credentials[];
  close(): Promise<void>;
}

export async function startServer(opts: ServerOptions = {}): Promise<RunningServer> {
  const log = opts.log ?? (() => {});
  const dataDir = resolve(opts.dataDir ?? join('.tessera', 'labeler'));
  mkdirSync(dataDir, { recursive: true });
  const db = await openDb(opts.databaseUrl ?? join(dataDir, 'labeler.sqlite'));
  const mediaRoot = join(dataDir, 'media');
  mkdirSync(mediaRoot, { recursive: true });
  const jobs = new TrackJobs(db);
  const resumedTracks = await jobs.resumeUnfinished(log);
  const config: AppConfig = {
    db,
    dataDir,
    mediaRoot,
    maxUploadBytes: opts.maxUploadBytes ?? 2 * 1024 ** 3,
    jobs,
    detector: new DetectorPool(),
  };
  if (opts.onnxModel) config.onnx = await OnnxDetector.load(opts.onnxModel, { labels: opts.onnxLabels });
  const resumedDetections = await resumeDetectTracks({ db, jobs, detectOn: detectOnFor(config) }, log);
  await failOrphanJobs(db, [...resumedTracks, ...resumedDetections]);
  const credentials = opts.sample === false ? [] : await ensureSample(db, dataDir, mediaRoot, log);
  const app = createApp(config);
  const host = opts.host ?? '127.0.0.1';
  const { server, port } = await new Promise<{ server: ReturnType<typeof serve>; port: number }>(
    (ok, fail) => {
      const s = serve({ fetch: app.fetch, port: opts.port ?? 5170, hostname: host }, (info) =>
        ok({ server: s, port: info.port }),
      );
      s.on('error', fail);
    },
  );
  return {
    url: `http://${host}:${port}`,
    port,
    db,
    config,
    credentials,
    async close() {
      await jobs.suspendAll();
      await config.detector.close();
      // A page polling a job keeps a connection open; close() alone waits for it forever (a request under way
      // when it was called leaves its connection open after), so connections get a second to finish, then end.
      const http = server as HttpServer;
      await new Promise<void>((r) => {
        http.close(() => r());
        http.closeIdleConnections();
        setTimeout(() => http.closeAllConnections(), 1000).unref();
      });
      await db.close();
    },
  };
}
