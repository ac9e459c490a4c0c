#!/usr/bin/env node
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { exportStream } from '../export/index.js';
import { writeWebDataset } from '../export/webdataset.js';
import { startServer } from '../server.js';
import { listMedia } from '../storage/media.js';
import { openDb } from '../storage/open.js';
import { createUser, type Role } from '../storage/users.js';
import { runDemo } from './demo.js';

const HELP = `tessera-labeler — AI-assisted image and video labeling

Commands:
  serve [--port 5170] [--data .tessera/labeler] [--max-upload-mb 2048] [--onnx model.onnx [--onnx-labels names.txt]]
        Serves the app on 127.0.0.1. Uses SQLite under --data unless DATABASE_URL=postgres://… is set.
        On first start creates admin/annotator/reviewer accounts (printed) and a sample project.
  demo  Starts a server on a free port, labels and tracks the sample video through the REST API, exports it, stops.
  user  --username NAME --password PW --role admin|annotator|reviewer [--data DIR]   Create an account.
  export --project ID --format coco|yolo|voc|mot|motchallenge|cvat|webdataset --out PATH [--data DIR]
        Streams an export to a file (webdataset: PATH is a folder of numbered shards).
`;

async function main() {
  const [cmd, ...rest] = process.argv.slice(2);
  const { values } = parseArgs({
    args: rest,
    options: {
      port: { type: 'string' },
      data: { type: 'string' },
      'max-upload-mb': { type: 'string' },
      username: { type: 'string' },
      password: { type: 'string' },
      role: { type: 'string' },
      project: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      onnx: { type: 'string' },
      'onnx-labels': { type: 'string' },
    },
    allowPositionals: false,
  });
  const dataDir = values.data ?? join('.tessera', 'labeler');
  const dbTarget = process.env.DATABASE_URL || join(dataDir, 'labeler.sqlite');
  switch (cmd) {
    case 'serve': {
      const port = values.port !== undefined ? Number(values.port) : 5170;
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new Error(`--port must be 0..65535, got ${values.port}`);
      const mb = values['max-upload-mb'] !== undefined ? Number(values['max-upload-mb']) : 2048;
      if (!(mb > 0))
        throw new Error(`--max-upload-mb must be a positive number, got ${values['max-upload-mb']}`);
      const srv = await startServer({
        dataDir,
        databaseUrl: process.env.DATABASE_URL || undefined,
        port,
        maxUploadBytes: mb * 1024 * 1024,
        log: (s) => console.log(s),
        onnxModel: values.onnx,
        onnxLabels: values['onnx-labels']
          ? readFileSync(values['onnx-labels'], 'utf8')
              .split(/\r?\n/)
              .map((l) => l.trim())
              .filter(Boolean)
          : undefined,
      });
      console.log(
        `Tessera labeler on ${srv.url}  (storage: ${process.env.DATABASE_URL ? 'PostgreSQL' : join(dataDir, 'labeler.sqlite')})`,
      );
      for (const c of srv.credentials)
        console.log(`  sign in as ${c.role.padEnd(9)} username: ${c.username}  password: ${c.password}`);
      console.log('Press Ctrl+C to stop.');
      const stop = async () => {
        await srv.close();
        process.exit(0);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
      return;
    }
    case 'demo':
      await runDemo();
      return;
    case 'user': {
      if (!values.username || !values.password || !values.role)
        throw new Error('user needs --username, --password and --role');
      if (!['admin', 'annotator', 'reviewer'].includes(values.role))
        throw new Error(`--role must be admin, annotator or reviewer, got ${values.role}`);
      const db = await openDb(dbTarget);
      const u = await createUser(db, values.username, values.password, values.role as Role);
      console.log(`created ${u.role} ${u.username} (id ${u.id})`);
      await db.close();
      return;
    }
    case 'export': {
      const id = Number(values.project);
      if (!Number.isInteger(id) || !values.format || !values.out)
        throw new Error('export needs --project ID --format F --out PATH');
      const db = await openDb(dbTarget);
      const row = await db.get<{
        id: number;
        name: string;
        label_schema: string;
        created_by: number;
        created_at: number;
      }>('SELECT * FROM projects WHERE id = ?', [id]);
      if (!row) throw new Error(`project ${id} not found`);
      const project = {
        id: row.id,
        name: row.name,
        labelSchema: JSON.parse(row.label_schema),
        createdBy: row.created_by,
        createdAt: row.created_at,
      };
      const media = await listMedia(db, id);
      const t0 = Date.now();
      if (values.format === 'webdataset') {
        mkdirSync(values.out, { recursive: true });
        const shards = await writeWebDataset(db, project, media, values.out, {
          onShard: (p, n) => console.log(`${p}: ${n} samples`),
        });
        console.log(`${shards.length} shards in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      } else {
        const ex = exportStream(db, project, media, values.format);
        await pipeline(Readable.from(ex.body), createWriteStream(values.out));
        console.log(`wrote ${values.out} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      }
      await db.close();
      return;
    }
    default:
      console.log(HELP);
      if (cmd && cmd !== 'help' && cmd !== '--help') process.exitCode = 2;
  }
}

main().catch((err) => {
  console.error(`error: ${(err as Error).message}`);
  process.exit(1);
});
