import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crop, loadImage, type RgbaImage } from '../src/image/image.js';
import { humanDir } from '../src/tools/human-runtime.js';
import type { ToolOutput } from '../src/tools/tool.js';
import { detectFacesTool, detectObjectsTool } from '../src/tools/vision.js';

// Debian's darknet package ships these photos (see scripts/apt-packages.txt); human ships its screenshots.
const DARKNET = '/usr/share/darknet/data';
const detect = detectObjectsTool();
const faces = detectFacesTool();
const run = (tool: typeof detect, image: RgbaImage, query = '', regions: ToolOutput['regions'] = []) =>
  tool.run({ image, question: '', query, regions: regions ?? [], memory: [] });
const labels = (o: ToolOutput) => (o.regions ?? []).map((r) => r.label);

test('object detection finds the dog, bicycle and car in darknet dog.jpg, with boxes inside the image', async () => {
  const img = await loadImage(`${DARKNET}/dog.jpg`);
  const out = await run(detect, img);
  for (const l of ['dog', 'bicycle', 'car']) assert.ok(labels(out).includes(l), `${l} in ${labels(out)}`);
  for (const r of out.regions!) {
    assert.ok(
      r.box.x >= -2 &&
        r.box.y >= -2 &&
        r.box.x + r.box.width <= img.width + 2 &&
        r.box.y + r.box.height <= img.height + 2,
      JSON.stringify(r),
    );
  }
  // The dog is in the lower left of this photo, the car top right.
  const dog = out.regions!.find((r) => r.label === 'dog')!;
  const car = out.regions!.find((r) => r.label === 'car')!;
  assert.ok(dog.box.x + dog.box.width / 2 < img.width / 2 && dog.box.y + dog.box.height / 2 > img.height / 2);
  assert.ok(car.box.x + car.box.width / 2 > img.width / 2 && car.box.y + car.box.height / 2 < img.height / 2);
});

test('object detection names the animals in giraffe.jpg, horses.jpg and eagle.jpg', async () => {
  assert.ok(labels(await run(detect, await loadImage(`${DARKNET}/giraffe.jpg`))).includes('giraffe'));
  const horses = labels(await run(detect, await loadImage(`${DARKNET}/horses.jpg`)));
  assert.ok(horses.filter((l) => l === 'horse').length >= 3, horses.join(','));
  assert.ok(labels(await run(detect, await loadImage(`${DARKNET}/eagle.jpg`))).includes('bird'));
});

test('detection on a region crop reports boxes in whole-image coordinates', async () => {
  const img = await loadImage(`${DARKNET}/person.jpg`);
  const whole = await run(detect, img);
  assert.deepEqual([...new Set(labels(whole))].sort(), ['dog', 'horse', 'person']);
  const horse = whole.regions!.find((r) => r.label === 'horse')!;
  const sub = await run(detect, img, horse.id, whole.regions);
  const again = sub.regions!.find((r) => r.label === 'horse');
  assert.ok(again, 'the horse is found again inside its own crop');
  assert.ok(Math.abs(again.box.x - horse.box.x) < horse.box.width * 0.3, `${again.box.x} vs ${horse.box.x}`);
  await assert.rejects(
    run(detect, img, 'region:99', whole.regions),
    /unknown region "region:99"; known regions are region:1/,
  );
});

test('a blank image has no objects', async () => {
  const blank = { width: 200, height: 150, data: new Uint8Array(200 * 150 * 4).fill(128) };
  const out = await run(detect, blank);
  assert.equal(out.regions!.length, 0);
  assert.equal(out.text, 'no objects detected');
});

test("face attributes: the group photo in human's screenshot has several adult faces, mostly women", async () => {
  const img = await loadImage(`${humanDir()}/assets/screenshot-facedetect.jpg`);
  const out = await run(faces, img);
  const found = (out.details as { faces: Array<{ age: number; gender: string; genderScore: number }> }).faces;
  assert.ok(found.length >= 5, `faces: ${found.length}`);
  for (const f of found) assert.ok(f.age >= 16 && f.age <= 60, `age ${f.age}`);
  assert.ok(found.filter((f) => f.gender === 'female' && f.genderScore > 0.7).length >= 3);
  assert.equal(out.regions!.length, found.length);
  assert.ok(out.regions!.every((r) => r.id.startsWith('face:')));
});

test('no faces in a landscape of horses seen from afar', async () => {
  const img = crop(await loadImage(`${DARKNET}/horses.jpg`), { x: 0, y: 0, width: 640, height: 200 });
  const out = await run(faces, img);
  assert.equal(out.text, 'no faces found');
});
