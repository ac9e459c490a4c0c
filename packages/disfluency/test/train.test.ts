import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { ModelConfig } from '../src/model/config.js';
import { loadModel } from '../src/model/weights.js';
import { DEFAULT_TRAIN, train } from '../src/train/train.js';

// A tiny network on a tiny generated corpus: the pipeline end to end in seconds.
const tiny: ModelConfig = {
  vocabSize: 40,
  dModel: 8,
  layers: 1,
  heads: 2,
  ffn: 8,
  window: 6,
  maxDelay: 2,
  numFeatures: 12,
};

function corpus(dir: string): string {
  const subjects = ['i', 'we', 'you', 'they', 'my sister', 'the team'];
  const verbs = ['want', 'need', 'booked', 'like', 'found', 'saw'];
  const objects = ['a flight', 'the hotel', 'a table', 'two tickets', 'the car', 'a room'];
  const tails = ['to denver', 'for friday', 'in paris', 'at noon', 'tomorrow', 'for two people'];
  const lines: string[] = [];
  for (let i = 0; lines.length < 4500; i++) {
    const pick = (xs: string[], k: number) => xs[Math.floor(i / k) % xs.length];
    lines.push(`${pick(subjects, 1)} ${pick(verbs, 6)} ${pick(objects, 36)} ${pick(tails, 216)} ${i}`);
  }
  const file = path.join(dir, 'fluent.txt');
  writeFileSync(file, lines.join('\n'));
  return file;
}

test('train writes a model; --init fine-tunes from it and refuses a model of another shape', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'disfl-train-'));
  const fluent = corpus(dir);
  const base = {
    ...DEFAULT_TRAIN,
    data: { fluent },
    config: tiny,
    steps: 3,
    batchSize: 4,
    checkpointEvery: 1000,
    log: () => {},
  };
  const first = await train({ ...base, outDir: path.join(dir, 'a'), name: 'wait' });
  assert.equal(first.training.stage, 'final');
  assert.ok(readFileSync(path.join(dir, 'a', 'wait.loss.svg'), 'utf8').startsWith('<svg'));
  const a = loadModel(path.join(dir, 'a', 'wait.json'));

  // With a learning rate of ~0 the fine-tuned weights are the starting model's, bit for bit after int8.
  const tuned = await train({
    ...base,
    learningRate: 1e-30,
    outDir: path.join(dir, 'b'),
    name: 'wait',
    init: path.join(dir, 'a', 'wait.json'),
    loss: { ...base.loss, latency: 0.5 },
  });
  const b = loadModel(path.join(dir, 'b', 'wait.json'));
  for (const [name, w] of a.weights) assert.deepEqual(b.weights.get(name), w, `${name} differs`);
  assert.equal(tuned.training.init, 'wait.json');
  // ...and not merely the same random start: a run without --init at that learning rate ends elsewhere.
  await train({ ...base, learningRate: 1e-30, outDir: path.join(dir, 'r'), name: 'wait' });
  const fresh = loadModel(path.join(dir, 'r', 'wait.json'));
  assert.ok(
    [...a.weights].some(([name, w]) => JSON.stringify(fresh.weights.get(name)) !== JSON.stringify(w)),
  );
  assert.equal((tuned.training.parent as { stage: string }).stage, 'final');
  assert.equal((tuned.training.loss as { latency: number }).latency, 0.5);

  await assert.rejects(
    train({
      ...base,
      config: { ...tiny, dModel: 12 },
      outDir: path.join(dir, 'c'),
      init: path.join(dir, 'a', 'wait.json'),
    }),
    /--init .*wait\.json: its config\.dModel is 8, this run uses 12/,
  );
});
