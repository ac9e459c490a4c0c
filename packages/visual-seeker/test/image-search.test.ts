import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { encodePng } from '../src/image/image.js';
import { FLAGS, flagPhoto } from '../src/scenes/flags.js';
import { describe, ImageGallery, imageSearchTool } from '../src/tools/image-search.js';
import { flagGallery } from '../src/tools/offline-tools.js';

test('descriptors are unit vectors; an image is its own nearest neighbour', () => {
  const a = describe(flagPhoto('France', 1));
  assert.ok(Math.abs(a.reduce((s, x) => s + x * x, 0) - 1) < 1e-5);
  const g = new ImageGallery();
  for (const c of ['France', 'Italy', 'Japan']) g.add(flagPhoto(c, 1), { label: c });
  assert.equal(g.search(flagPhoto('Japan', 1), 1)[0].entry.label, 'Japan');
  assert.ok(g.search(flagPhoto('Japan', 1), 1)[0].similarity > 0.999);
});

test('image search recognises most new photos of 31 flags from a gallery of other photos', async () => {
  const tool = imageSearchTool(flagGallery([101, 202]));
  let right = 0;
  const wrong: string[] = [];
  for (const country of Object.keys(FLAGS)) {
    const out = await tool.run({
      image: flagPhoto(country, 5),
      question: '',
      query: '',
      regions: [],
      memory: [],
    });
    if (out.entities?.[0] === country) right++;
    else wrong.push(`${country} -> ${out.entities?.[0]}`);
  }
  // Measured 26/31 for this seed (85% over three seeds, see README); same-colour flags are the misses.
  assert.ok(right >= 24, `recognised ${right}/31; wrong: ${wrong.join(', ')}`);
});

test('a gallery loads from a manifest; bad manifests are explained', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'vs-gallery-'));
  await writeFile(join(dir, 'jp.png'), encodePng(flagPhoto('Japan', 1)));
  await writeFile(join(dir, 'se.png'), encodePng(flagPhoto('Sweden', 1)));
  await writeFile(
    join(dir, 'gallery.json'),
    JSON.stringify([
      { file: 'jp.png', label: 'flag of Japan', caption: 'hinomaru', entities: ['Japan'] },
      { file: 'se.png', label: 'flag of Sweden', entities: ['Sweden'] },
    ]),
  );
  const g = await ImageGallery.fromManifest(join(dir, 'gallery.json'));
  const out = await imageSearchTool(g).run({
    image: flagPhoto('Sweden', 8),
    question: '',
    query: '',
    regions: [],
    memory: [],
  });
  assert.equal(out.entities![0], 'Sweden');
  assert.match(out.text, /flag of Sweden \(0\.\d+\)/);
  await writeFile(join(dir, 'bad.json'), JSON.stringify([{ file: 'jp.png' }]));
  await assert.rejects(ImageGallery.fromManifest(join(dir, 'bad.json')), /\[0\.label\].*expected \[\{"file"/);
  await writeFile(join(dir, 'missing.json'), JSON.stringify([{ file: 'nope.png', label: 'x' }]));
  await assert.rejects(ImageGallery.fromManifest(join(dir, 'missing.json')), /nope\.png cannot be read/);
});

test('an empty gallery or a dissimilar image is reported, not guessed', async () => {
  const empty = await imageSearchTool(new ImageGallery()).run({
    image: flagPhoto('Japan', 1),
    question: '',
    query: '',
    regions: [],
    memory: [],
  });
  assert.equal(empty.text, 'the image gallery is empty');
  const noise = {
    width: 64,
    height: 64,
    data: new Uint8Array(64 * 64 * 4).map((_, i) => (i % 4 === 3 ? 255 : (i * 7919) % 256)),
  };
  const out = await imageSearchTool(flagGallery([1]), { minSimilarity: 0.9 }).run({
    image: noise,
    question: '',
    query: '',
    regions: [],
    memory: [],
  });
  assert.deepEqual(out.entities, []);
  assert.match(out.text, /no gallery image is similar enough/);
});
