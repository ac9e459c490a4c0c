import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  type Client,
  ffprobePts,
  jpegMean,
  makeVfrVideo,
  startTestServer,
  type TestServer,
} from './harness.js';
import { type PgServer, startPostgres } from './postgres-server.js';

const tmp = mkdtempSync(join(tmpdir(), 'labeler-api-files-'));
const video = makeVfrVideo(tmp);
const schema = {
  classes: [
    { name: 'car', color: '#ff0000', attributes: [] },
    { name: 'person', color: '#00ff00', attributes: [] },
  ],
};
let pgServer: PgServer;
before(async () => {
  pgServer = await startPostgres();
});
after(() => {
  pgServer?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

function tarList(buf: Buffer): string[] {
  const f = join(tmp, `l${Math.random()}.tar`);
  writeFileSync(f, buf);
  const r = spawnSync('tar', ['-tf', f], { encoding: 'utf8' });
  rmSync(f);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim().split('\n');
}

for (const driver of ['sqlite', 'postgres'] as const) {
  describe(`REST API on ${driver}`, () => {
    let ts: TestServer;
    let admin: Client;
    let ann: Client;
    let rev: Client;
    let projectId: number;
    let mediaId: number;

    before(async () => {
      ts = await startTestServer(
        driver === 'postgres' ? await pgServer.createDatabase() : undefined,
        2 * 1024 * 1024,
      );
      admin = await ts.login('boss', 'admin');
      ann = await ts.login('ann', 'annotator');
      rev = await ts.login('rev', 'reviewer');
    });
    after(async () => ts?.close());

    test('OpenAPI document lists the routes', async () => {
      const doc = await admin.ok('GET', '/api/openapi.json');
      assert.equal(doc.openapi, '3.1.0');
      for (const p of [
        '/api/auth/login',
        '/api/projects/{id}/media',
        '/api/media/{id}/frames/{n}/annotations',
        '/api/tracks/{id}/track',
        '/api/tracks/{id}/fill',
        '/api/tracks/{id}/interpolate',
        '/api/jobs/{id}/stop',
        '/api/projects/{id}/export/{format}',
      ]) {
        assert.ok(doc.paths[p], `missing ${p}`);
      }
      assert.ok(
        doc.paths['/api/projects'].post.requestBody.content['application/json'].schema.properties.labelSchema,
      );
    });

    test('auth: wrong password, no session, roles and membership', async () => {
      const anon = new (admin.constructor as typeof Client)(ts.srv.url);
      assert.equal((await anon.req('GET', '/api/projects')).status, 401);
      assert.equal(
        (await anon.req('POST', '/api/auth/login', { username: 'ann', password: 'nope' })).status,
        401,
      );
      const bad = await ann.req('POST', '/api/projects', {
        name: 'x',
        labelSchema: { classes: [{ name: 'a', color: 'red' }] },
      });
      assert.equal(bad.status, 400);
      assert.match(bad.data.error, /labelSchema\.classes\.0\.color/);
      const p = await ann.ok('POST', '/api/projects', { name: 'Street', labelSchema: schema });
      projectId = p.id;
      assert.equal((await rev.req('GET', `/api/projects/${projectId}`)).status, 403);
      const revUser = (await admin.ok('GET', '/api/users')).find(
        (u: { username: string }) => u.username === 'rev',
      );
      await admin.ok('POST', `/api/projects/${projectId}/members`, { userId: revUser.id });
      assert.equal((await rev.req('GET', `/api/projects/${projectId}`)).status, 200);
      assert.equal(
        (await rev.req('POST', `/api/projects/${projectId}/media?name=a.mp4`, undefined, Buffer.from('x')))
          .status,
        403,
      );
      assert.equal((await ann.req('GET', '/api/users')).status, 403);
    });

    test('video upload: every frame by exact index on variable-frame-rate video', async () => {
      const m = await ann.ok(
        'POST',
        `/api/projects/${projectId}/media?name=vfr.mp4`,
        undefined,
        readFileSync(video),
      );
      mediaId = m.id;
      const probe = ffprobePts(video);
      assert.equal(m.frameCount, probe.length);
      assert.equal(m.kind, 'video');
      const meta = await ann.ok('GET', `/api/media/${mediaId}`);
      assert.deepEqual(
        meta.pts.map((t: number) => t.toFixed(3)),
        probe.map((t) => t.toFixed(3)),
      );
      const gaps = meta.pts.slice(1).map((t: number, i: number) => t - meta.pts[i]);
      assert.ok(Math.max(...gaps) > 2 * Math.min(...gaps), `timestamps are variable: ${gaps}`);
      for (const i of [0, 9, 10, 11, 23, 5]) {
        const res = await fetch(`${ts.srv.url}/api/media/${mediaId}/frames/${i}/image`, {
          headers: { cookie: ann.cookie },
        });
        const mean = jpegMean(Buffer.from(await res.arrayBuffer()));
        assert.ok(Math.abs(mean - (8 * i + 16)) < 3, `frame ${i} should be grey ${8 * i + 16}, got ${mean}`);
      }
      assert.equal((await ann.req('GET', `/api/media/${mediaId}/frames/24`)).status, 404);
    });

    test('bad uploads are refused with a reason and leave nothing behind', async () => {
      const before = (await ann.ok('GET', `/api/projects/${projectId}`)).media.length;
      const corrupt = readFileSync(video).subarray(0, 600);
      const r1 = await ann.req(
        'POST',
        `/api/projects/${projectId}/media?name=broken.mp4`,
        undefined,
        corrupt,
      );
      assert.equal(r1.status, 422, r1.text);
      assert.match(r1.data.error, /broken\.mp4.*(could not|corrupt)/);
      const r2 = await ann.req(
        'POST',
        `/api/projects/${projectId}/media?name=notes.mp4`,
        undefined,
        Buffer.from('hello, this is text\n'.repeat(50)),
      );
      assert.ok([415, 422].includes(r2.status), r2.text);
      const mpeg4 = join(tmp, 'old.avi');
      spawnSync('ffmpeg', [
        '-v',
        'error',
        '-y',
        '-f',
        'lavfi',
        '-i',
        'testsrc=size=64x48:rate=5:duration=1',
        '-c:v',
        'mpeg4',
        mpeg4,
      ]);
      const r3 = await ann.req(
        'POST',
        `/api/projects/${projectId}/media?name=old.avi`,
        undefined,
        readFileSync(mpeg4),
      );
      assert.equal(r3.status, 415);
      assert.match(r3.data.error, /mpeg4.*H\.264 or VP9/);
      const r4 = await ann.req(
        'POST',
        `/api/projects/${projectId}/media?name=big.mp4`,
        undefined,
        Buffer.alloc(3 * 1024 * 1024),
      );
      assert.equal(r4.status, 413);
      assert.match(r4.data.error, /limit/);
      assert.equal((await ann.ok('GET', `/api/projects/${projectId}`)).media.length, before);
      assert.deepEqual(
        readdirSync(join(ts.dir, 'media')).filter((d) => d.startsWith('.staging')),
        [],
      );
      assert.deepEqual(readdirSync(join(ts.dir, 'uploads')), []);
    });

    test('two editors on one frame: the second gets 409, nothing is overwritten', async () => {
      const ann2 = await ts.login(`ann2${driver}`, 'annotator');
      const u = (await admin.ok('GET', '/api/users')).find(
        (x: { username: string }) => x.username === `ann2${driver}`,
      );
      await admin.ok('POST', `/api/projects/${projectId}/members`, { userId: u.id });
      const f = await ann.ok('GET', `/api/media/${mediaId}/frames/3`);
      const box = { kind: 'box', label: 'car', data: { x: 1, y: 1, w: 10, h: 10 }, attributes: {} };
      const saved = await ann.ok('PUT', `/api/media/${mediaId}/frames/3/annotations`, {
        version: f.version,
        annotations: [box],
      });
      const r = await ann2.req('PUT', `/api/media/${mediaId}/frames/3/annotations`, {
        version: f.version,
        annotations: [],
      });
      assert.equal(r.status, 409);
      assert.match(r.data.error, /changed by someone else/);
      const now = await ann.ok('GET', `/api/media/${mediaId}/frames/3`);
      assert.equal(now.annotations.length, 1);
      assert.equal(now.version, saved.version);
      const badLabel = await ann.req('PUT', `/api/media/${mediaId}/frames/3/annotations`, {
        version: now.version,
        annotations: [{ ...box, label: 'dog' }],
      });
      assert.equal(badLabel.status, 400);
      assert.match(badLabel.data.error, /annotations\.0\.label.*dog/);
      const poly = {
        kind: 'polygon',
        label: 'person',
        data: {
          points: [
            [1, 1],
            [20, 2],
            [10, 15],
          ],
        },
        attributes: {},
      };
      const kp = {
        kind: 'keypoints',
        label: 'person',
        data: {
          points: [
            [5, 5, 2],
            [8, 9, 1],
          ],
        },
        attributes: {},
      };
      const tag = { kind: 'tag', label: 'car', data: {}, attributes: {} };
      const all = await ann.ok('PUT', `/api/media/${mediaId}/frames/3/annotations`, {
        version: now.version,
        annotations: [...now.annotations, poly, kp, tag],
      });
      assert.deepEqual(
        all.annotations.map((a: { kind: string }) => a.kind),
        ['box', 'polygon', 'keypoints', 'tag'],
      );
    });

    test('track: keyframes, tracker job in a worker with progress, correction, review', async () => {
      const f0 = await ann.ok('GET', `/api/media/${mediaId}/frames/0`);
      const { track } = await ann.ok('POST', `/api/media/${mediaId}/tracks`, {
        frame: 0,
        version: f0.version,
        label: 'car',
        box: { x: 10, y: 10, w: 20, h: 16 },
      });
      let job = await ann.ok('POST', `/api/tracks/${track.id}/track`, { fromFrame: 0, direction: 'forward' });
      assert.equal(job.total, 23);
      while (job.status === 'running') {
        await new Promise((r) => setTimeout(r, 100));
        job = await ann.ok('GET', `/api/jobs/${job.id}`);
      }
      assert.equal(job.status, 'done', job.error);
      assert.equal(job.done, 23);
      const t = await ann.ok('GET', `/api/tracks/${track.id}`);
      assert.equal(t.boxes.length, 24);
      assert.ok(
        t.boxes.slice(1).every((b: { source: string }) => b.source === 'tracker'),
        JSON.stringify(t.boxes.slice(0, 3)),
      );
      // Correct frame 12, then re-track from there: frames before 12 keep their boxes, 12 stays as corrected.
      const f12 = await ann.ok('GET', `/api/media/${mediaId}/frames/12`);
      const stale = f12.version;
      await ann.ok('PUT', `/api/tracks/${track.id}/frames/12`, {
        version: f12.version,
        box: { x: 30, y: 20, w: 20, h: 16 },
      });
      assert.equal(
        (
          await ann.req('PUT', `/api/tracks/${track.id}/frames/12`, {
            version: stale,
            box: { x: 0, y: 0, w: 1, h: 1 },
          })
        ).status,
        409,
      );
      job = await ann.ok('POST', `/api/tracks/${track.id}/track`, { fromFrame: 12, direction: 'forward' });
      assert.equal(job.total, 11);
      job = await ts.srv.config.jobs.wait(job.id);
      assert.equal(job.status, 'done');
      const at12 = (await ann.ok('GET', `/api/media/${mediaId}/frames/12`)).tracks.find(
        (b: { trackId: number }) => b.trackId === track.id,
      );
      assert.deepEqual(at12.box, { x: 30, y: 20, w: 20, h: 16 });
      assert.equal(at12.keyframe, true);
      await ann.ok('PUT', `/api/tracks/${track.id}/frames/20`, {
        version: (await ann.ok('GET', `/api/media/${mediaId}/frames/20`)).version,
        box: at12.box,
        outside: true,
      });
      const at21 = (await ann.ok('GET', `/api/media/${mediaId}/frames/21`)).tracks.find(
        (b: { trackId: number }) => b.trackId === track.id,
      );
      assert.ok(!at21 || at21.outside, `frame 21 after outside: ${JSON.stringify(at21)}`);
      // A new track drawn on frame 0, with keyframes on these frames (a box, or marking the object outside).
      const keyedTrack = async (keys: Array<[number, boolean]>) => {
        const { track } = await ann.ok('POST', `/api/media/${mediaId}/tracks`, {
          frame: 0,
          version: (await ann.ok('GET', `/api/media/${mediaId}/frames/0`)).version,
          label: 'car',
          box: { x: 10, y: 10, w: 20, h: 16 },
        });
        for (const [n, outside] of keys) {
          await ann.ok('PUT', `/api/tracks/${track.id}/frames/${n}`, {
            version: (await ann.ok('GET', `/api/media/${mediaId}/frames/${n}`)).version,
            box: { x: 30, y: 20, w: 20, h: 16 },
            outside,
          });
        }
        return track;
      };
      // Fill: a new track with keyframes at 0 and 12 and an outside keyframe at 20, nothing stored between.
      const ft = await keyedTrack([
        [12, false],
        [20, true],
      ]);
      type StoredBox = { frame: number; source: string; keyframe: boolean; box: object };
      const stored = async () => (await ann.ok('GET', `/api/tracks/${ft.id}`)).boxes as StoredBox[];
      assert.deepEqual(
        (await stored()).map((b) => b.frame),
        [0, 12, 20],
      );
      // Between the keyframes at 0 and 12: a run from each, 11 frames each; the keyframes stay.
      let fill = await ann.ok('POST', `/api/tracks/${ft.id}/fill`, { fromFrame: 0 });
      assert.equal(fill.total, 22);
      fill = await ts.srv.config.jobs.wait(fill.id);
      assert.equal(fill.status, 'done', fill.error);
      assert.equal(fill.done, 22);
      const filled = await stored();
      assert.deepEqual(
        filled.filter((b) => b.frame > 0 && b.frame < 12).map((b) => [b.frame, b.source, b.keyframe]),
        Array.from({ length: 11 }, (_, i) => [i + 1, 'tracker', false]),
      );
      const k12 = filled.find((b) => b.frame === 12)!;
      assert.deepEqual([k12.box, k12.keyframe], [{ x: 30, y: 20, w: 20, h: 16 }, true]);
      // From 12 to the outside keyframe at 20: only the forward run, frames 13-19 stored.
      fill = await ts.srv.config.jobs.wait(
        (await ann.ok('POST', `/api/tracks/${ft.id}/fill`, { fromFrame: 12 })).id,
      );
      assert.deepEqual([fill.status, fill.total, fill.done], ['done', 7, 7]);
      assert.deepEqual(
        (await stored()).filter((b) => b.frame > 12 && b.frame < 20).map((b) => [b.frame, b.source]),
        Array.from({ length: 7 }, (_, i) => [13 + i, 'tracker']),
      );
      // Between the outside keyframe at 20 and another at 23: one run, searching for the object coming back
      // (learnt from the keyframe at 0), frames 21-22 stored.
      await ann.ok('PUT', `/api/tracks/${ft.id}/frames/23`, {
        version: (await ann.ok('GET', `/api/media/${mediaId}/frames/23`)).version,
        box: { x: 30, y: 20, w: 20, h: 16 },
        outside: true,
      });
      fill = await ts.srv.config.jobs.wait(
        (await ann.ok('POST', `/api/tracks/${ft.id}/fill`, { fromFrame: 20 })).id,
      );
      assert.deepEqual([fill.status, fill.total, fill.done], ['done', 2, 2]);
      assert.deepEqual(
        (await stored()).filter((b) => b.frame > 20 && b.frame < 23).map((b) => [b.frame, b.source]),
        [
          [21, 'tracker'],
          [22, 'tracker'],
        ],
      );
      // From an outside keyframe to one showing the object: the run back from it, and a search from the outside
      // keyframe telling where the object came in (see carryIntoView): two runs over frames 18-20.
      const entering = await keyedTrack([
        [17, true],
        [21, false],
      ]);
      fill = await ts.srv.config.jobs.wait(
        (await ann.ok('POST', `/api/tracks/${entering.id}/fill`, { fromFrame: 17 })).id,
      );
      assert.deepEqual([fill.status, fill.total, fill.done], ['done', 6, 6]);
      const enteringBoxes = (await ann.ok('GET', `/api/tracks/${entering.id}`)).boxes as StoredBox[];
      assert.deepEqual(
        enteringBoxes.filter((b) => b.frame > 17 && b.frame < 21).map((b) => [b.frame, b.source]),
        [
          [18, 'tracker'],
          [19, 'tracker'],
          [20, 'tracker'],
        ],
      );
      const notKey = await ann.req('POST', `/api/tracks/${ft.id}/fill`, { fromFrame: 5 });
      assert.equal(notKey.status, 400);
      assert.match(notKey.data.error, /frame 5 is not a keyframe of track \d+; set one there first/);
      const last = await ann.req('POST', `/api/tracks/${ft.id}/fill`, { fromFrame: 23 });
      assert.equal(last.status, 400);
      assert.match(last.data.error, /no keyframe after frame 23 to fill to/);
      // Interpolate from 0: the tracker's boxes up to the keyframe at 12 go (their frames' versions move on),
      // the frames between show the keyframes' interpolation, and the fill after 12 stays.
      const v6 = (await ann.ok('GET', `/api/media/${mediaId}/frames/6`)).version;
      const cleared = await ann.ok('POST', `/api/tracks/${ft.id}/interpolate`, { fromFrame: 0 });
      assert.deepEqual(cleared, { fromFrame: 0, toFrame: 12, cleared: 11 });
      assert.deepEqual(
        (await stored()).map((b) => [b.frame, b.source]),
        [
          [0, 'manual'],
          [12, 'manual'],
          ...Array.from({ length: 7 }, (_, i) => [13 + i, 'tracker']),
          [20, 'manual'],
          [21, 'tracker'],
          [22, 'tracker'],
          [23, 'manual'],
        ],
      );
      const f6 = await ann.ok('GET', `/api/media/${mediaId}/frames/6`);
      const at6 = f6.tracks.find((b: { trackId: number }) => b.trackId === ft.id);
      assert.deepEqual([at6.source, at6.box], ['interpolated', { x: 20, y: 15, w: 20, h: 16 }]);
      assert.ok(f6.version > v6, `frame 6 version ${v6} -> ${f6.version}`);
      const notKeyframe = await ann.req('POST', `/api/tracks/${ft.id}/interpolate`, { fromFrame: 5 });
      assert.equal(notKeyframe.status, 400);
      assert.match(notKeyframe.data.error, /frame 5 is not a keyframe of track \d+; set one there first/);
      const pastEnd = await ann.req('POST', `/api/tracks/${ft.id}/interpolate`, { fromFrame: 999 });
      assert.equal(pastEnd.status, 404);
      assert.match(pastEnd.data.error, /frame 999 does not exist; media \d+ has frames 0\.\.23/);
      // Stop: a job stopped right away ends as stopped; while it runs, its track's boxes are not cleared.
      const { track: t2 } = await ann.ok('POST', `/api/media/${mediaId}/tracks`, {
        frame: 23,
        version: (await ann.ok('GET', `/api/media/${mediaId}/frames/23`)).version,
        label: 'person',
        box: { x: 5, y: 5, w: 10, h: 10 },
      });
      const j2 = await ann.ok('POST', `/api/tracks/${t2.id}/track`, { fromFrame: 23, direction: 'backward' });
      const busy = await ann.req('POST', `/api/tracks/${t2.id}/interpolate`, { fromFrame: 23 });
      assert.equal(busy.status, 409);
      assert.match(busy.data.error, new RegExp(`track ${t2.id} has a job running \\(job ${j2.id}\\)`));
      // Nor does a second run start on it: the two would write over each other's frames.
      const second = await ann.req('POST', `/api/tracks/${t2.id}/track`, {
        fromFrame: 23,
        direction: 'backward',
      });
      assert.equal(second.status, 409);
      assert.match(second.data.error, new RegExp(`track ${t2.id} has a job running \\(job ${j2.id}\\)`));
      await ann.ok('POST', `/api/jobs/${j2.id}/stop`);
      const end = await ts.srv.config.jobs.wait(j2.id);
      assert.ok(['stopped', 'done'].includes(end.status), `stopped job: ${JSON.stringify(end)}`);
      // Once it has ended the track takes a new run.
      const j3 = await ann.ok('POST', `/api/tracks/${t2.id}/track`, { fromFrame: 23, direction: 'backward' });
      assert.equal((await ts.srv.config.jobs.wait(j3.id)).status, 'done');
      const renamed = await ann.ok('PUT', `/api/tracks/${track.id}`, {
        label: 'person',
        attributes: { parked: true },
      });
      assert.deepEqual([renamed.label, renamed.attributes], ['person', { parked: true }]);
      assert.equal((await ann.req('PUT', `/api/tracks/${track.id}`, { label: 'dog' })).status, 400);
      await ann.ok('PUT', `/api/tracks/${track.id}`, { label: 'car' });
      // Review with who and when.
      assert.equal(
        (await ann.req('POST', `/api/tracks/${track.id}/review`, { decision: 'accept' })).status,
        403,
      );
      const reviewed = await rev.ok('POST', `/api/tracks/${track.id}/review`, { decision: 'accept' });
      assert.equal(reviewed.status, 'accepted');
      assert.ok(reviewed.reviewedBy > 0 && reviewed.reviewedAt > 0, JSON.stringify(reviewed));
      const a = (await ann.ok('GET', `/api/media/${mediaId}/frames/3`)).annotations[0];
      const ra = await rev.ok('POST', `/api/annotations/${a.id}/review`, { decision: 'reject' });
      assert.equal(ra.status, 'rejected');
    });

    test('exports stream in six formats that their readers accept', async () => {
      const res = await fetch(`${ts.srv.url}/api/projects/${projectId}/export/coco`, {
        headers: { cookie: ann.cookie },
      });
      const coco = JSON.parse(await res.text());
      assert.equal(coco.images.length, 24);
      assert.deepEqual(
        coco.categories.map((c: { name: string }) => c.name),
        ['car', 'person'],
      );
      const trackAnns = coco.annotations.filter(
        (a: { attributes: { track_id?: number } }) => a.attributes.track_id !== undefined,
      );
      assert.ok(trackAnns.length >= 20);
      assert.ok(coco.annotations.every((a: { image_id: number }) => a.image_id >= 1 && a.image_id <= 24));
      const mot = (await ann.ok('GET', `/api/projects/${projectId}/export/mot`)) as string;
      const rows = mot
        .trim()
        .split('\n')
        .map((l) => l.split(','));
      assert.ok(rows.every((r) => r.length === 9 && Number(r[0]) >= 1 && Number(r[0]) <= 24));
      const cvat = (await ann.ok('GET', `/api/projects/${projectId}/export/cvat`)) as string;
      assert.match(
        cvat,
        /<annotations>[\s\S]*<track id="0" label="car"[\s\S]*<box frame="12" keyframe="1" outside="0"[\s\S]*<\/annotations>/,
      );
      const yolo = Buffer.from(
        await (
          await fetch(`${ts.srv.url}/api/projects/${projectId}/export/yolo`, {
            headers: { cookie: ann.cookie },
          })
        ).arrayBuffer(),
      );
      const yl = tarList(yolo);
      assert.ok(yl.includes('obj.names'));
      assert.equal(yl.filter((n) => n.startsWith('labels/')).length, 24);
      assert.equal(yl.filter((n) => n.startsWith('images/')).length, 24);
      const voc = Buffer.from(
        await (
          await fetch(`${ts.srv.url}/api/projects/${projectId}/export/voc?images=0`, {
            headers: { cookie: ann.cookie },
          })
        ).arrayBuffer(),
      );
      assert.ok(tarList(voc).every((n) => n.startsWith('Annotations/')));
      const wds = Buffer.from(
        await (
          await fetch(`${ts.srv.url}/api/projects/${projectId}/export/webdataset?samplesPerShard=10`, {
            headers: { cookie: ann.cookie },
          })
        ).arrayBuffer(),
      );
      const shards = tarList(wds);
      assert.deepEqual(shards, ['Street-000000.tar', 'Street-000001.tar', 'Street-000002.tar']);
      const dir = join(tmp, `wds-${driver}`);
      spawnSync('mkdir', ['-p', dir]);
      writeFileSync(join(dir, 'all.tar'), wds);
      spawnSync('tar', ['-xf', join(dir, 'all.tar'), '-C', dir]);
      const inner = spawnSync('tar', ['-tf', join(dir, 'Street-000000.tar')], { encoding: 'utf8' })
        .stdout.trim()
        .split('\n');
      assert.equal(inner.length, 20);
      for (let i = 0; i < inner.length; i += 2) {
        assert.equal(
          inner[i].replace(/\..*$/, ''),
          inner[i + 1].replace(/\..*$/, ''),
          'sample files are adjacent',
        );
      }
      assert.equal((await ann.req('GET', `/api/projects/${projectId}/export/pdf`)).status, 400);
    });

    test('motchallenge: every video of a project a sequence in one tar, laid out as TrackEval reads it', async () => {
      const p = await ann.ok('POST', '/api/projects', {
        name: 'Cameras',
        labelSchema: { classes: [{ name: 'car', color: '#ff0000' }] },
      });
      const dir = join(tmp, `seq-${driver}`);
      mkdirSync(dir, { recursive: true });
      // Two videos whose names make the same sequence name: the second gets its media id after it.
      const upload = async (name: string, file: string) =>
        ann.ok(
          'POST',
          `/api/projects/${p.id}/media?name=${encodeURIComponent(name)}`,
          undefined,
          readFileSync(file),
        );
      const a = await upload('cam 1.mp4', makeVfrVideo(dir, 12));
      const b = await upload('cam 1.webm', makeVfrVideo(dir, 8, 'libvpx-vp9', 'webm'));
      for (const [m, x] of [
        [a, 4],
        [b, 20],
      ] as const) {
        const { track } = await ann.ok('POST', `/api/media/${m.id}/tracks`, {
          frame: 1,
          version: (await ann.ok('GET', `/api/media/${m.id}/frames/1`)).version,
          label: 'car',
          box: { x, y: 6, w: 20, h: 16 },
        });
        await ann.ok('PUT', `/api/tracks/${track.id}/frames/5`, {
          version: (await ann.ok('GET', `/api/media/${m.id}/frames/5`)).version,
          box: { x: x + 8, y: 10, w: 24, h: 18 },
          outside: false,
        });
      }
      const fetchTar = async (query: string) => {
        const res = await fetch(`${ts.srv.url}/api/projects/${p.id}/export/motchallenge${query}`, {
          headers: { cookie: ann.cookie },
        });
        assert.equal(res.headers.get('content-type'), 'application/x-tar');
        return Buffer.from(await res.arrayBuffer());
      };
      writeFileSync(join(dir, 'mot.tar'), await fetchTar(''));
      const out = join(dir, 'out');
      mkdirSync(out);
      const untar = spawnSync('tar', ['-xf', join(dir, 'mot.tar'), '-C', out], { encoding: 'utf8' });
      assert.equal(untar.status, 0, untar.stderr);
      const names = ['cam_1', `cam_1-${b.id}`];
      assert.equal(readFileSync(join(out, 'seqmaps', 'all.txt'), 'utf8'), `name\n${names.join('\n')}\n`);
      for (const [seq, m, frames] of [
        [names[0], a, 12],
        [names[1], b, 8],
      ] as const) {
        const info = Object.fromEntries(
          readFileSync(join(out, seq, 'seqinfo.ini'), 'utf8')
            .split('\n')
            .filter((l) => l.includes('='))
            .map((l) => l.split('=')),
        );
        assert.deepEqual(
          [info.name, info.imDir, info.seqLength, info.imWidth, info.imHeight, info.imExt],
          [seq, 'img1', String(frames), '64', '48', '.jpg'],
        );
        assert.ok(Number.isInteger(Number(info.frameRate)) && Number(info.frameRate) >= 1, info.frameRate);
        // The sequence's ground truth is the per-video MOT export, rows 1-based from frame 2 (the first
        // keyframe, 1) to the end (a track goes on past its last keyframe until marked outside).
        const gt = readFileSync(join(out, seq, 'gt', 'gt.txt'), 'utf8');
        assert.equal(gt, await ann.ok('GET', `/api/projects/${p.id}/export/mot?media=${m.id}`));
        assert.deepEqual(
          gt
            .trim()
            .split('\n')
            .map((r) => Number(r.split(',')[0])),
          Array.from({ length: frames - 1 }, (_, i) => i + 2),
        );
        const images = readdirSync(join(out, seq, 'img1'));
        assert.deepEqual(
          images,
          Array.from({ length: frames }, (_, i) => `${String(i + 1).padStart(6, '0')}.jpg`),
        );
        const jpg = readFileSync(join(out, seq, 'img1', images[0]));
        assert.deepEqual([jpg[0], jpg[1]], [0xff, 0xd8]);
      }
      assert.ok(tarList(await fetchTar('?images=0')).every((n) => !n.includes('/img1/')));
    });

    test('imports: COCO and YOLO round-trip; malformed files name the field or line and store nothing', async () => {
      const coco = JSON.parse(
        await (
          await fetch(`${ts.srv.url}/api/projects/${projectId}/export/coco`, {
            headers: { cookie: ann.cookie },
          })
        ).text(),
      );
      const f5 = coco.images[5];
      const doc = {
        images: [f5],
        categories: coco.categories,
        annotations: [{ id: 1, image_id: f5.id, category_id: 2, bbox: [1, 2, 3, 4] }],
      };
      const before = (await ann.ok('GET', `/api/media/${mediaId}/frames/5`)).annotations.length;
      const bad = {
        ...doc,
        annotations: [...doc.annotations, { id: 2, image_id: f5.id, category_id: 1, bbox: [1, 2, -3] }],
      };
      const r = await ann.req(
        'POST',
        `/api/projects/${projectId}/import/coco?name=bad.json`,
        undefined,
        Buffer.from(JSON.stringify(bad)),
      );
      assert.equal(r.status, 422);
      assert.match(r.data.error, /bad\.json: field "annotations\[1\]\.bbox"/);
      const r2 = await ann.req(
        'POST',
        `/api/projects/${projectId}/import/coco?name=trunc.json`,
        undefined,
        Buffer.from('{"images": ['),
      );
      assert.match(r2.data.error, /trunc\.json: not valid JSON/);
      assert.equal((await ann.ok('GET', `/api/media/${mediaId}/frames/5`)).annotations.length, before);
      const ok = await ann.ok(
        'POST',
        `/api/projects/${projectId}/import/coco?name=good.json`,
        undefined,
        Buffer.from(JSON.stringify(doc)),
      );
      assert.equal(ok.imported, 1);
      const got = (await ann.ok('GET', `/api/media/${mediaId}/frames/5`)).annotations.at(-1);
      assert.deepEqual([got.label, got.data], ['person', { x: 1, y: 2, w: 3, h: 4 }]);
      // YOLO: export, corrupt one line, import.
      const yolo = Buffer.from(
        await (
          await fetch(`${ts.srv.url}/api/projects/${projectId}/export/yolo?images=0`, {
            headers: { cookie: ann.cookie },
          })
        ).arrayBuffer(),
      );
      const dir = join(tmp, `yolo-${driver}`);
      spawnSync('mkdir', ['-p', dir]);
      writeFileSync(join(dir, 'y.tar'), yolo);
      spawnSync('tar', ['-xf', join(dir, 'y.tar'), '-C', dir]);
      const lbl = readdirSync(join(dir, 'labels')).sort()[7];
      writeFileSync(join(dir, 'labels', lbl), '0 0.5 0.5 0.2 0.2\n1 0.5 abc 0.1 0.1\n');
      spawnSync('tar', ['-cf', join(dir, 'bad.tar'), '-C', dir, 'obj.names', `labels/${lbl}`]);
      const ry = await ann.req(
        'POST',
        `/api/projects/${projectId}/import/yolo?name=bad.tar`,
        undefined,
        readFileSync(join(dir, 'bad.tar')),
      );
      assert.equal(ry.status, 422);
      assert.match(ry.data.error, new RegExp(`labels/${lbl} line 2: field y_center "abc"`));
      writeFileSync(join(dir, 'labels', lbl), '0 0.5 0.5 0.25 0.5\n');
      spawnSync('tar', ['-cf', join(dir, 'good.tar'), '-C', dir, 'obj.names', `labels/${lbl}`]);
      const gy = await ann.ok(
        'POST',
        `/api/projects/${projectId}/import/yolo?name=good.tar`,
        undefined,
        readFileSync(join(dir, 'good.tar')),
      );
      assert.equal(gy.imported, 1);
      const fr = Number(lbl.match(/_(\d+)\.txt$/)![1]);
      const imported = (await ann.ok('GET', `/api/media/${mediaId}/frames/${fr}`)).annotations.at(-1);
      assert.deepEqual(imported.data, { x: 24, y: 12, w: 16, h: 24 });
      assert.ok(existsSync(ts.dir));
    });
    test('VP9 in WebM and H.264 in MOV are accepted with every frame', async () => {
      for (const [codec, ext] of [
        ['libvpx-vp9', 'webm'],
        ['libx264', 'mov'],
      ] as const) {
        const path = makeVfrVideo(join(tmp), 12, codec, ext);
        const m = await ann.ok(
          'POST',
          `/api/projects/${projectId}/media?name=clip.${ext}`,
          undefined,
          readFileSync(path),
        );
        assert.equal(m.frameCount, ffprobePts(path).length);
        assert.equal(m.codec, codec === 'libx264' ? 'h264' : 'vp9');
        const res = await fetch(`${ts.srv.url}/api/media/${m.id}/frames/11/image`, {
          headers: { cookie: ann.cookie },
        });
        assert.ok(Math.abs(jpegMean(Buffer.from(await res.arrayBuffer())) - (8 * 11 + 16)) < 3);
      }
    });
  });
}
