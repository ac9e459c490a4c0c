import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { TrackWorkerPool } from '../src/jobs/track-pool.js';
import type { TrackWorkerInput } from '../src/jobs/track-worker.js';
import { generateSyntheticVideo, writeMp4 } from '../src/synthetic/index.js';
import type { TrackStep } from '../src/tracking/contract.js';

const dir = mkdtempSync(join(tmpdir(), 'labeler-pool-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const video = generateSyntheticVideo({
  seed: 7,
  challenges: ['scale', 'rotation'],
  frameCount: 120,
  width: 320,
  height: 180,
  objectWidth: 48,
  objectHeight: 32,
});
const path = join(dir, 'v.mp4');
const written = writeMp4(video, path);
const input: TrackWorkerInput = {
  videoPath: path,
  width: 320,
  height: 180,
  frameCount: 120,
  startFrame: 0,
  startBox: video.truth[0].box!,
  direction: 'forward',
  endFrame: 119,
};

/** Runs one request on the pool: every step it sent, and how it ended. */
function runOn(
  pool: TrackWorkerPool,
  request: TrackWorkerInput,
): Promise<{ steps: TrackStep[]; failure: string | null }> {
  return new Promise((ok) => {
    const steps: TrackStep[] = [];
    pool.run(
      request,
      (m) => {
        if (m.type === 'steps') steps.push(...m.steps);
      },
      (failure) => ok({ steps, failure }),
    );
  });
}

/** A pool for one test, closed after it. */
async function withPool(body: (pool: TrackWorkerPool) => Promise<void>): Promise<void> {
  await written;
  const pool = new TrackWorkerPool();
  try {
    await body(pool);
  } finally {
    await pool.close();
  }
}

/** A run of the whole video, forward from frame 0: every frame after the start, in order, and no failure. */
function assertWhole(run: { steps: TrackStep[]; failure: string | null }) {
  assert.equal(run.failure, null);
  assert.deepEqual(
    run.steps.map((s) => s.frame),
    Array.from({ length: 119 }, (_, i) => i + 1),
  );
}

test('a worker kept from one job tracks the next exactly as a fresh one does, on one thread', () =>
  withPool(async (pool) => {
    const first = await runOn(pool, input);
    const second = await runOn(pool, input);
    assertWhole(first);
    assert.deepEqual(second, first);
    assert.equal(pool.started, 1);
    // And backward from the last frame, on the same thread, as a fresh pool's worker tracks it.
    const back = { ...input, startFrame: 119, startBox: video.truth[119].box!, endFrame: 0 } as const;
    const warm = await runOn(pool, { ...back, direction: 'backward' });
    await withPool(async (fresh) => {
      assert.deepEqual(warm, await runOn(fresh, { ...back, direction: 'backward' }));
    });
    assert.equal(pool.started, 1);
  }));

test('a stopped run ends at once, and its worker comes back and runs the next job whole', () =>
  withPool(async (pool) => {
    // Stopped on its first batch of steps: it has ended for its caller by the time stop() returns.
    const stopped = await new Promise<{ steps: number; failure: string | null; atStop: boolean }>((ok) => {
      let steps = 0;
      let ended: string | null | undefined;
      const run = pool.run(
        input,
        (m) => {
          if (m.type !== 'steps') return;
          steps += m.steps.length;
          run.stop();
          ok({ steps, failure: ended ?? null, atStop: ended !== undefined });
        },
        (failure) => {
          ended = failure;
        },
      );
    });
    assert.ok(stopped.atStop, 'the run had not ended when stop() returned');
    assert.equal(stopped.failure, null);
    assert.ok(stopped.steps < 119, `the stopped run sent all ${stopped.steps} steps`);
    // The run ended for its caller at once; its worker comes back once it has left off.
    for (let waited = 0; pool.waiting === 0; waited += 20) {
      assert.ok(waited < 4000, 'the stopped worker did not come back to the pool within 4 s');
      await new Promise((r) => setTimeout(r, 20));
    }
    assertWhole(await runOn(pool, input));
    assert.equal(pool.started, 1, 'the stopped run ended its worker');
  }));

test('a run on a missing video fails naming it, and the same worker runs the next job', () =>
  withPool(async (pool) => {
    const failed = await runOn(pool, { ...input, videoPath: join(dir, 'gone.mp4') });
    assert.match(failed.failure ?? '', /gone\.mp4/);
    assert.deepEqual(failed.steps, []);
    assertWhole(await runOn(pool, input));
    assert.equal(pool.started, 1);
  }));

test('a closed pool ends its waiting workers and refuses new runs', async () => {
  await written;
  const pool = new TrackWorkerPool();
  await runOn(pool, input);
  await pool.close();
  assert.throws(
    () =>
      pool.run(
        input,
        () => {},
        () => {},
      ),
    /closed/,
  );
});
