import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { frameRecords } from '../src/export/records.js';
import {
  frameAnnotations,
  insertAnnotations,
  iterateAnnotations,
  saveFrame,
} from '../src/storage/annotations.js';
import type { Db } from '../src/storage/db.js';
import { frameVersion } from '../src/storage/frames.js';
import { failOrphanJobs, getJob, unfinishedJobs } from '../src/storage/jobs.js';
import { insertMedia } from '../src/storage/media.js';
import { migrate } from '../src/storage/migrations.js';
import { openDb } from '../src/storage/open.js';
import { openPostgres } from '../src/storage/postgres.js';
import { createProject, listProjects, projectFor } from '../src/storage/projects.js';
import { SqliteDb } from '../src/storage/sqlite.js';
import { createTrack, setKeyframe, trackBoxesAt, writeTrackerSteps } from '../src/storage/tracks.js';
import { createUser, login, userForSession } from '../src/storage/users.js';
import { type PgServer, startPostgres } from './postgres-server.js';

const schema = { classes: [{ name: 'car', color: '#ff0000', attributes: [] }] };

let pgServer: PgServer;
const tmp = mkdtempSync(join(tmpdir(), 'labeler-store-'));
before(async () => {
  pgServer = await startPostgres();
});
after(() => {
  pgServer?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

for (const driver of ['sqlite', 'postgres'] as const) {
  describe(`storage on ${driver}`, () => {
    let db: Db;
    before(async () => {
      db = await openDb(driver === 'sqlite' ? join(tmp, 'a.sqlite') : await pgServer.createDatabase());
    });
    after(async () => db?.close());

    async function fixture(on = db) {
      const u = await createUser(on, `ann${Math.random().toString(36).slice(2)}`, 'secret-pass', 'annotator');
      const p = await createProject(on, 'P', schema, u);
      const m = await insertMedia(
        on,
        {
          projectId: p.id,
          name: 'v.mp4',
          kind: 'video',
          codec: 'h264',
          width: 64,
          height: 48,
          frameCount: 10,
          storageDir: '/x',
        },
        Array.from({ length: 10 }, (_, i) => i / 25),
      );
      return { u, p, m };
    }

    test('migrations are idempotent', async () => {
      assert.equal(await migrate(db), 3);
      assert.equal(await migrate(db), 3);
    });

    test('a database made by the first schema upgrades with its jobs kept; they are failed on start, not resumed', async () => {
      const old: Db =
        driver === 'sqlite'
          ? new SqliteDb(join(tmp, 'v1.sqlite'))
          : openPostgres(await pgServer.createDatabase());
      try {
        assert.equal(await migrate(old, 1), 1);
        const { m } = await fixture(old);
        await old.run(
          `INSERT INTO jobs (kind, media_id, track_id, status, done, total, error, created_by, created_at, updated_at)
           VALUES ('track', ?, NULL, 'running', 3, 9, NULL, NULL, 1, 1)`,
          [m.id],
        );
        assert.equal(await migrate(old), 3);
        const [job] = await unfinishedJobs(old);
        assert.deepEqual(
          [job.kind, job.done, job.total, job.plans, job.written],
          ['track', 3, 9, null, null],
        );
        await failOrphanJobs(old, []);
        assert.deepEqual(await unfinishedJobs(old), []);
        assert.equal((await getJob(old, job.id)).error, 'server restarted while the job ran');
      } finally {
        await old.close();
      }
    });

    test('passwords are hashed and sessions resolve to the user', async () => {
      await createUser(db, 'alice', 'correct horse', 'admin');
      const row = await db.get<{ password_hash: string }>(
        'SELECT password_hash FROM users WHERE username = ?',
        ['alice'],
      );
      assert.ok(row!.password_hash.startsWith('scrypt$'));
      assert.ok(!row!.password_hash.includes('correct horse'));
      assert.equal(await login(db, 'alice', 'wrong password'), null);
      const ok = await login(db, 'alice', 'correct horse');
      assert.ok(ok);
      assert.equal((await userForSession(db, ok.token))?.username, 'alice');
      await assert.rejects(createUser(db, 'alice', 'another pass', 'admin'), /already exists/);
    });

    test('non-members cannot see a project; admins can', async () => {
      const { p } = await fixture();
      const other = await createUser(db, 'outsider', 'outsider-pw', 'annotator');
      await assert.rejects(projectFor(db, p.id, other), /not a member/);
      assert.ok(!(await listProjects(db, other)).some((x) => x.id === p.id));
      const admin = await createUser(db, 'root2', 'root-password', 'admin');
      assert.equal((await projectFor(db, p.id, admin)).id, p.id);
    });

    test('frame saves are version checked and all-or-nothing', async () => {
      const { u, m } = await fixture();
      const box = { kind: 'box' as const, label: 'car', data: { x: 1, y: 2, w: 3, h: 4 }, attributes: {} };
      const first = await saveFrame(db, m.id, 3, 0, [box], u.id);
      assert.equal(first.version, 1);
      assert.equal(first.annotations.length, 1);
      // A second editor still on version 0 must be refused, and the stored frame must be untouched.
      await assert.rejects(saveFrame(db, m.id, 3, 0, [box, box], u.id), (e: Error & { status?: number }) => {
        assert.equal(e.status, 409);
        assert.match(e.message, /changed by someone else/);
        return true;
      });
      assert.equal((await frameAnnotations(db, m.id, 3)).length, 1);
      // A bad item after a good one rolls the whole save back (version and rows).
      await assert.rejects(saveFrame(db, m.id, 3, 1, [box, { ...box, id: 999999 }], u.id), /not on frame/);
      assert.equal(await frameVersion(db, m.id, 3), 1);
      assert.equal((await frameAnnotations(db, m.id, 3)).length, 1);
      // Update by id and delete by omission.
      const id = first.annotations[0].id;
      const second = await saveFrame(
        db,
        m.id,
        3,
        1,
        [{ ...box, id, data: { x: 5, y: 5, w: 5, h: 5 } }],
        u.id,
      );
      assert.deepEqual(second.annotations[0].data, { x: 5, y: 5, w: 5, h: 5 });
      assert.equal(second.annotations[0].id, id);
      const third = await saveFrame(db, m.id, 3, 2, [], u.id);
      assert.equal(third.annotations.length, 0);
      await assert.rejects(saveFrame(db, m.id, 99, 0, [], u.id), /frame 99 .* not found/);
    });

    test('tracks interpolate between keyframes and tracker output never overwrites a keyframe', async () => {
      const { u, m } = await fixture();
      const { track } = await createTrack(db, m.id, 0, 0, 'car', { x: 2, y: 2, w: 10, h: 10 }, u.id);
      await setKeyframe(db, track.id, 4, 0, {
        box: { x: 40, y: 20, w: 20, h: 10 },
        outside: false,
        occluded: false,
      });
      const mid = (await trackBoxesAt(db, m, 2)).find((b) => b.trackId === track.id)!;
      assert.equal(mid.source, 'interpolated');
      assert.deepEqual(mid.box, { x: 21, y: 11, w: 15, h: 10 });
      const steps = [1, 2, 3, 4].map((f) => ({
        frame: f,
        box: { x: f, y: f, w: 9, h: 9 },
        confidence: 0.9,
        outside: false,
      }));
      assert.equal(await writeTrackerSteps(db, track.id, m.id, steps), 3);
      const at2 = (await trackBoxesAt(db, m, 2)).find((b) => b.trackId === track.id)!;
      assert.equal(at2.source, 'tracker');
      assert.deepEqual(at2.box, { x: 2, y: 2, w: 9, h: 9 });
      const at4 = (await trackBoxesAt(db, m, 4)).find((b) => b.trackId === track.id)!;
      assert.equal(at4.keyframe, true);
      assert.deepEqual(at4.box, { x: 40, y: 20, w: 20, h: 10 });
      // tracker writes move the frame version, so a stale editor of frame 2 is refused
      assert.equal(await frameVersion(db, m.id, 2), 1);
      await setKeyframe(db, track.id, 6, 0, {
        box: { x: 0, y: 0, w: 1, h: 1 },
        outside: true,
        occluded: false,
      });
      assert.equal((await trackBoxesAt(db, m, 7)).filter((b) => b.trackId === track.id).length, 0);
    });

    test('a track coming into view across the picture edge is interpolated whole, on the frame and in exports', async () => {
      const { u, m } = await fixture();
      // Keyed cut by the left edge of the 64x48 picture on frame 0 (8 px of a 24-px object in view), whole on 4.
      const { track } = await createTrack(db, m.id, 0, 0, 'car', { x: 0, y: 10, w: 8, h: 12 }, u.id);
      await setKeyframe(db, track.id, 4, 0, {
        box: { x: 20, y: 10, w: 24, h: 12 },
        outside: false,
        occluded: false,
      });
      // Whole on frame 0 it reached from x = -16; halfway to frame 4 it is at x = 2 (CVAT's: x 10, w 16).
      const at2 = (await trackBoxesAt(db, m, 2)).find((b) => b.trackId === track.id)!;
      assert.deepEqual([at2.source, at2.box], ['interpolated', { x: 2, y: 10, w: 24, h: 12 }]);
      const at1 = (await trackBoxesAt(db, m, 1)).find((b) => b.trackId === track.id)!;
      assert.deepEqual(at1.box, { x: 0, y: 10, w: 17, h: 12 });
      const exported: unknown[] = [];
      for await (const rec of frameRecords(db, m, true))
        if (rec.frame === 2) exported.push(rec.tracks.find((t) => t.trackId === track.id)?.box);
      assert.deepEqual(exported, [at2.box]);
    });

    test('annotation iteration pages in frame order without gaps', async () => {
      const { u, m } = await fixture();
      const items = Array.from({ length: 2345 }, (_, i) => ({
        frame: i % 10,
        kind: 'box' as const,
        label: 'car',
        data: { x: i, y: 0, w: 1, h: 1 },
        source: 'import' as const,
        confidence: null,
        status: 'pending' as const,
      }));
      await db.tx((t) => insertAnnotations(t, m.id, items, u.id));
      const seen: number[] = [];
      let lastFrame = -1;
      for await (const a of iterateAnnotations(db, m.id, 100)) {
        assert.ok(a.frame >= lastFrame);
        lastFrame = a.frame;
        seen.push((a.data as { x: number }).x);
      }
      assert.equal(seen.length, 2345);
      assert.equal(new Set(seen).size, 2345);
    });
  });
}
