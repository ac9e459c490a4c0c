import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { crop } from '../src/image/image.js';
import { signPhoto } from '../src/scenes/signs.js';
import { ocrTool } from '../src/tools/ocr.js';

const ocr = ocrTool();
after(() => ocr.close!());
const read = async (lines: string[], seed: number) => {
  const image = await signPhoto(lines, seed);
  return { image, out: await ocr.run({ image, question: '', query: '', regions: [], memory: [] }) };
};

test('reads the words on generated road signs exactly, line by line', async () => {
  const cases = [
    ['WELCOME TO', 'KENYA'],
    ['BIENVENUE EN', 'FRANCE'],
    ['LIMA 12 KM'],
    ['HELSINKI', 'CITY CENTRE 5'],
  ];
  for (const [i, lines] of cases.entries()) {
    const { out } = await read(lines, i + 1);
    assert.deepEqual(out.entities, lines, `sign ${i + 1}: ${out.text}`);
  }
});

test('text lines come with boxes on the sign, and a region crop reads just that line', async () => {
  const { image, out } = await read(['NORTH', 'BERGEN 40'], 9);
  assert.equal(out.regions!.length, 2);
  const [first, second] = out.regions!;
  assert.ok(first.box.y < second.box.y);
  const again = await ocr.run({ image, question: '', query: second.id, regions: out.regions!, memory: [] });
  assert.deepEqual(again.entities, ['BERGEN 40']);
  const cropped = crop(image, second.box);
  assert.ok(cropped.width > 50);
});

test('an image with no text reads nothing', async () => {
  const sky = { width: 300, height: 200, data: new Uint8Array(300 * 200 * 4) };
  for (let i = 0; i < sky.data.length; i += 4) sky.data.set([120, 170, 230, 255], i);
  const out = await ocr.run({ image: sky, question: '', query: '', regions: [], memory: [] });
  assert.deepEqual(out.entities, []);
  assert.equal(out.text, 'no legible text');
});
