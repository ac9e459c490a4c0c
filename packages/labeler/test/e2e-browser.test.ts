/**
 * The whole loop in headless Chromium, as a person would do it: sign in, create a project, upload a video, draw a
 * box, track it, correct a frame, re-track, undo/redo, export, and check the exported file.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type Browser, chromium, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, canvasPoint, drawBox, signInToEditor, waitStatus } from './browser.js';
import { makeTestPatternVideo, startTestServer, type TestServer } from './harness.js';

let ts: TestServer;
let browser: Browser;
const tmp = mkdtempSync(join(tmpdir(), 'labeler-e2e-'));
const videoPath = join(tmp, 'street.mp4');

before(async () => {
  makeTestPatternVideo(videoPath, 1.6);
  ts = await startTestServer();
  const admin = await ts.login('lead', 'admin');
  void admin;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
});
after(async () => {
  await browser?.close();
  await ts?.close();
  rmSync(tmp, { recursive: true, force: true });
});

test('sign in, create project, upload, draw, track, correct, re-track, export', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(ts.srv.url);
  await page.fill('input[name=username]', 'lead');
  await page.fill('input[name=password]', 'wrong-password');
  await page.click('button[type=submit]');
  await page.waitForSelector('text=wrong username or password');
  await page.fill('input[name=password]', 'password-123');
  await page.click('button[type=submit]');
  await page.waitForSelector('input[name=project-name]');
  await page.fill('input[name=project-name]', 'E2E street');
  await page.fill('textarea[name=classes]', 'car #ffd740\nperson #40c4ff');
  await page.click('text=Create project');
  await page.waitForSelector('input[name=upload]');
  // A corrupt file is refused with the reason shown, and no media appears.
  await page.setInputFiles('input[name=upload]', {
    name: 'broken.mp4',
    mimeType: 'video/mp4',
    buffer: Buffer.from('not really a video '.repeat(100)),
  });
  await page.waitForSelector('text=/broken\\.mp4.*(could not|no video)/');
  await page.waitForTimeout(300); // the message must stay (the page is not re-rendered over it)
  assert.match((await page.textContent('.error')) ?? '', /broken\.mp4/);
  assert.equal(await page.locator('a.media-link').count(), 0);
  await page.setInputFiles('input[name=upload]', videoPath);
  await page.waitForSelector('a.media-link', { timeout: 60_000 });
  assert.match((await page.textContent('body')) ?? '', /40 frames/);
  await page.click('a.media-link');
  await page.waitForSelector('#frame-canvas');
  await page.waitForFunction(() => (window as any).__labeler?.scene?.img);

  // Draw a box (as a track, the default for video).
  await drawBox(page, [100, 80], [160, 130]);
  await waitStatus(page, /track #\d+ created/);
  await page.keyboard.press('t');
  await waitStatus(page, /tracking (done|stopped)/);
  const count = await page.textContent('#object-count');
  assert.match(count ?? '', /^1 track boxes/);

  // Frame 10 shows a tracker box; drag it to correct it, which makes a keyframe.
  for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowRight');
  await page.waitForFunction(
    () => (window as any).__labeler.frame === 10 && (window as any).__labeler.scene.tracks.length === 1,
  );
  const before10 = await page.evaluate(() => (window as any).__labeler.scene.tracks[0]);
  assert.equal(before10.source, 'tracker');
  await page.click('#tool-select, [data-tool=select]');
  const [cx, cy] = await canvasPoint(
    page,
    before10.box.x + before10.box.w / 2,
    before10.box.y + before10.box.h / 2,
  );
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  await page.mouse.move(cx + 30, cy + 20, { steps: 5 });
  await page.mouse.up();
  await page.waitForFunction(() => (window as any).__labeler.scene.tracks[0]?.keyframe === true);
  const after10 = await page.evaluate(() => (window as any).__labeler.scene.tracks[0]);
  assert.ok(after10.box.x > before10.box.x + 10, `moved right: ${before10.box.x} → ${after10.box.x}`);
  // Undo puts the tracker box back, redo the correction.
  await page.keyboard.press('Control+z');
  await page.waitForFunction(() => (window as any).__labeler.scene.tracks[0]?.keyframe === false);
  await page.keyboard.press('Control+y');
  await page.waitForFunction(() => (window as any).__labeler.scene.tracks[0]?.keyframe === true);
  // Re-track from the correction.
  await page.keyboard.press('t');
  await waitStatus(page, /tracking (done|stopped)/);
  // Back on frame 0, fill to the keyframe at 10: a run from each keyframe over frames 1-9.
  await page.keyboard.press('Home');
  await page.waitForFunction(
    () =>
      (window as any).__labeler.frame === 0 && (window as any).__labeler.scene.tracks[0]?.keyframe === true,
  );
  await page.keyboard.press('i');
  await waitStatus(page, /tracking done: 18 frames/);
  // Interpolate instead (L): the fill's boxes on frames 1-9 go, and frame 5 shows the keyframes' interpolation.
  await page.keyboard.press('l');
  await waitStatus(page, /interpolating to frame 10: 9 tracker boxes cleared/);
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
  await page.waitForFunction(
    () =>
      (window as any).__labeler.frame === 5 &&
      (window as any).__labeler.scene.tracks[0]?.source === 'interpolated',
  );
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
  await page.waitForFunction(
    () =>
      (window as any).__labeler.frame === 10 && (window as any).__labeler.scene.tracks[0]?.keyframe === true,
  );
  // Marked outside on frame 12 (O), the track is no longer drawn but stays selected and listed as outside; T
  // from there looks for the object coming back instead of asking for a box.
  for (let i = 0; i < 2; i++) await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => (window as any).__labeler.frame === 12);
  await page.keyboard.press('o');
  await page.waitForFunction(() => (window as any).__labeler.scene.tracks.length === 0);
  assert.match((await page.textContent('.obj.sel')) ?? '', /track #\d+ .* · outside/);
  await page.keyboard.press('t');
  await waitStatus(page, /tracking done: 27 frames/);
  // The run started from the outside mark itself: frame 12 has no box drawn for the track, which is still outside.
  await page.waitForFunction(
    () => (window as any).__labeler.frame === 12 && (window as any).__labeler.scene.tracks.length === 0,
  );
  assert.match((await page.textContent('.obj.sel')) ?? '', /track #\d+ .* · outside/);
  await page.keyboard.press('Home');
  for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowRight');
  await page.waitForFunction(
    () =>
      (window as any).__labeler.frame === 10 && (window as any).__labeler.scene.tracks[0]?.keyframe === true,
  );

  // A plain box annotation on the frame autosaves (survives a reload).
  await page.click('#as-track');
  await page.click('[data-tool=box]');
  await drawBox(page, [20, 20], [60, 50], 4);
  await waitStatus(page, /^saved$/);
  await page.reload();
  await page.waitForFunction(
    () => (window as any).__labeler?.scene?.anns?.length === 1 && (window as any).__labeler.frame === 10,
  );

  // Export MOT and COCO through the project page's links' URLs and check them.
  const projectId = await page.evaluate(() => (window as any).__labeler.project.id);
  const mot: string = await page.evaluate(
    async (id) => (await fetch(`/api/projects/${id}/export/mot`)).text(),
    projectId,
  );
  const rows = mot
    .trim()
    .split('\n')
    .map((l) => l.split(',').map(Number));
  // One track: at most one row per frame (the tracker may judge the object outside on some frames).
  assert.equal(new Set(rows.map((r) => r[0])).size, rows.length);
  assert.ok(rows.length >= 20 && rows.length <= 40, `rows: ${rows.length}`);
  assert.ok(
    rows.every((r) => r[1] === rows[0][1]),
    'one track id',
  );
  assert.ok(
    rows.some((r) => r[0] === 1),
    'the drawn box on frame 1 (1-based)',
  );
  const row11 = rows.find((r) => r[0] === 11)!;
  assert.ok(Math.abs(row11[2] - after10.box.x) < 0.01, 'the corrected box is exported on frame 11 (1-based)');
  const coco = JSON.parse(
    await page.evaluate(async (id) => (await fetch(`/api/projects/${id}/export/coco`)).text(), projectId),
  );
  assert.equal(coco.images.length, 40);
  assert.equal(coco.annotations.length, rows.length + 1, 'track boxes plus the plain box');

  // Detect → tracks runs as a job with the same Stop button; stopped, it says so and keeps what it detected.
  await page.click('#detect-tracks-btn');
  await page.waitForSelector('#stop-track', { state: 'visible' });
  await page.click('#stop-track');
  await waitStatus(page, /^stopped after \d+ frames?; proposed tracks are dashed/);
  assert.equal(await page.isVisible('#stop-track'), false);
  assert.deepEqual(errors, []);
});

test('two people edit the same frame: the second save is refused with a message and nothing is overwritten', async () => {
  const { readFileSync } = await import('node:fs');
  const api = await ts.login('second', 'admin');
  const p = await api.ok('POST', '/api/projects', {
    name: 'Conflict',
    labelSchema: { classes: [{ name: 'car', color: '#ff0000' }] },
  });
  const m = await api.ok(
    'POST',
    `/api/projects/${p.id}/media?name=street.mp4`,
    undefined,
    readFileSync(videoPath),
  );
  const open = async () => {
    const ctx = await browser.newContext({ viewport: { width: 1100, height: 700 } });
    const page = await ctx.newPage();
    await signInToEditor(page, `${ts.srv.url}/#/media/${m.id}/0`, 'second', 'password-123');
    await page.click('#as-track');
    return page;
  };
  const a = await open();
  const b = await open();
  const draw = (page: Page, x: number) => drawBox(page, [x, 20], [x + 40, 60], 4);
  await draw(a, 20);
  await waitStatus(a, /^saved$/);
  await draw(b, 150);
  await waitStatus(b, /Not saved: frame 0 was changed by someone else/);
  // B now shows A's box (reloaded), not its own; the server kept A's. The message comes before the reload
  // lands, and until then B shows its own box, also one: wait for A's (a CI run read B's own, 150).
  await b
    .waitForFunction(
      () => {
        const anns = (window as any).__labeler.scene.anns;
        return anns.length === 1 && Math.abs(anns[0].data.x - 20) < 2;
      },
      undefined,
      { timeout: 60_000 },
    )
    .catch(async (e) => {
      const shown = await b.evaluate(() =>
        JSON.stringify((window as any).__labeler.scene.anns.map((a: any) => a.data)),
      );
      throw new Error(`B never showed A's box after the conflict; it shows ${shown}`, { cause: e });
    });
  const stored = await api.ok('GET', `/api/media/${m.id}/frames/0`);
  assert.equal(stored.annotations.length, 1);
  assert.ok(Math.abs(stored.annotations[0].data.x - 20) < 2);
});
