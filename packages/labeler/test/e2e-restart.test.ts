/**
 * The editor across a server restart, in headless Chromium: a track job running when the server stops goes on
 * when the server is back (it resumes the job), and the open page, which kept asking, follows it to the end; a
 * page opened while a job runs on its video shows that job.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type Browser, chromium } from 'playwright-core';
import { type RunningServer, startServer } from '../src/server.js';
import { createUser } from '../src/storage/users.js';
import { CHROMIUM, CHROMIUM_ARGS, drawBox, signInToEditor, waitStatus } from './browser.js';
import { Client, makeTestPatternVideo } from './harness.js';

const tmp = mkdtempSync(join(tmpdir(), 'labeler-e2e-restart-'));
const dataDir = join(tmp, 'data');
const videoPath = join(tmp, 'long.mp4');
const FRAMES = 500;
let srv: RunningServer;
let browser: Browser;

before(async () => {
  makeTestPatternVideo(videoPath, FRAMES / 25);
  srv = await startServer({ dataDir, port: 0, sample: false });
  await createUser(srv.db, 'ann', 'password-123', 'annotator');
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
});
after(
  async () => {
    await browser?.close();
    await srv?.close();
    rmSync(tmp, { recursive: true, force: true });
  },
  { timeout: 60_000 },
);

test('a track job outlives a server restart, and the open editor follows it to the end; a page opened later shows a running job', {
  timeout: 240_000,
}, async () => {
  const api = new Client(srv.url);
  await api.ok('POST', '/api/auth/login', { username: 'ann', password: 'password-123' });
  const project = await api.ok('POST', '/api/projects', {
    name: 'Restart',
    labelSchema: { classes: [{ name: 'car', color: '#ff0000' }] },
  });
  const media = await api.ok(
    'POST',
    `/api/projects/${project.id}/media?name=long.mp4`,
    undefined,
    readFileSync(videoPath),
  );
  assert.equal(media.frameCount, FRAMES);

  const page = await (await browser.newContext({ viewport: { width: 1100, height: 700 } })).newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signInToEditor(page, `${srv.url}/#/media/${media.id}/0`, 'ann', 'password-123');
  await drawBox(page, [120, 90], [190, 150]);
  await waitStatus(page, /track #\d+ created/);
  await page.keyboard.press('t');
  await page.waitForFunction(() => ((window as any).__labeler.job?.done ?? 0) > 0);

  // The server stops mid-job (as Ctrl+C stops it) and comes back on the same port and data directory.
  const port = srv.port;
  await srv.close();
  await waitStatus(page, /the server cannot be reached; asking again/);
  srv = await startServer({ dataDir, port, sample: false });
  await waitStatus(page, new RegExp(`^tracking done: ${FRAMES - 1} frames$`));
  const [track] = await api.ok('GET', `/api/media/${media.id}/tracks`);
  const { boxes } = await api.ok('GET', `/api/tracks/${track.id}`);
  assert.equal(boxes.length, FRAMES, 'one box per frame');

  // A job started elsewhere (here over REST) is shown by a page opened on the video while it runs.
  const { track: second } = await api.ok('POST', `/api/media/${media.id}/tracks`, {
    frame: 0,
    version: (await api.ok('GET', `/api/media/${media.id}/frames/0`)).version,
    label: 'car',
    box: { x: 40, y: 40, w: 60, h: 50 },
  });
  const job = await api.ok('POST', `/api/tracks/${second.id}/track`, { fromFrame: 0, direction: 'forward' });
  await page.reload();
  assert.equal(
    (await api.ok('GET', `/api/jobs/${job.id}`)).status,
    'running',
    'the job ended before the page opened',
  );
  await page.waitForSelector('#stop-track', { state: 'visible' });
  await waitStatus(page, new RegExp(`^tracking \\(job ${job.id}\\)…$|^tracking done: ${FRAMES - 1} frames$`));
  await waitStatus(page, new RegExp(`^tracking done: ${FRAMES - 1} frames$`));
  assert.deepEqual(errors, []);
});
