import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { siteIndex } from '../src/learners/data/partition.js';
import { loadMnist, partition } from '../src/learners/index.js';
import { Rng } from '../src/numeric/random.js';

const labels = loadMnist('train').labels;

function classCounts(idx: Int32Array): number[] {
  const c = new Array(10).fill(0);
  for (const i of idx) c[labels[i] as number]++;
  return c;
}

/** Mean total-variation distance between each site's label mix and the global one (0 = IID). */
function skew(parts: Int32Array[]): number {
  const global = classCounts(Int32Array.from({ length: labels.length }, (_, i) => i)).map(
    (v) => v / labels.length,
  );
  let tv = 0;
  for (const p of parts) {
    const c = classCounts(p);
    const n = p.length || 1;
    tv += c.reduce((a, v, k) => a + Math.abs(v / n - (global[k] as number)), 0) / 2;
  }
  return tv / parts.length;
}

function assertDisjoint(parts: Int32Array[]): void {
  const seen = new Set<number>();
  for (const p of parts)
    for (const i of p) {
      assert.ok(!seen.has(i), `index ${i} given to two sites`);
      seen.add(i);
    }
}

describe('splitting MNIST across sites', () => {
  it('IID: disjoint equal shards with the global label mix, the same for the same seed', () => {
    const a = partition(labels, { kind: 'iid', numSites: 10, samplesPerSite: 6000, seed: 1 });
    assert.deepEqual(
      a.map((p) => p.length),
      new Array(10).fill(6000),
    );
    assertDisjoint(a);
    assert.ok(skew(a) < 0.03, `iid skew ${skew(a)}`);
    assert.deepEqual(
      partition(labels, { kind: 'iid', numSites: 10, samplesPerSite: 6000, seed: 1 })[3],
      a[3],
    );
    assert.notDeepEqual(
      partition(labels, { kind: 'iid', numSites: 10, samplesPerSite: 6000, seed: 2 })[3],
      a[3],
    );
  });

  it('Dirichlet: smaller alpha gives more skewed sites; all rows used once', () => {
    const low = partition(labels, { kind: 'dirichlet', alpha: 0.1, numSites: 10, seed: 1 });
    const high = partition(labels, { kind: 'dirichlet', alpha: 100, numSites: 10, seed: 1 });
    assertDisjoint(low);
    assert.equal(
      low.reduce((a, p) => a + p.length, 0),
      labels.length,
    );
    assert.ok(skew(low) > 0.4, `alpha 0.1 skew ${skew(low)}`);
    assert.ok(skew(high) < 0.05, `alpha 100 skew ${skew(high)}`);
  });

  it('label skew: each site sees exactly classesPerSite classes', () => {
    const parts = partition(labels, { kind: 'label-skew', classesPerSite: 2, numSites: 20, seed: 3 });
    assertDisjoint(parts);
    const classes = parts.map((p) => classCounts(p).filter((c) => c > 0).length);
    assert.deepEqual(classes, new Array(20).fill(2));
    assert.equal(
      parts.reduce((a, p) => a + p.length, 0),
      labels.length,
    );
    assert.ok(skew(parts) > 0.6);
  });

  it('maps site names to shards and rejects names it cannot place', () => {
    assert.equal(siteIndex('site-3', 5), 2);
    assert.equal(siteIndex('hospital-b', 2, ['hospital-a', 'hospital-b']), 1);
    assert.throws(() => siteIndex('site-6', 5), /outside 1\.\.5/);
    assert.throws(() => siteIndex('hospital', 5), /does not end in a number/);
    assert.throws(() => siteIndex('x', 2, ['a', 'b']), /not in the client config's sites list/);
  });

  it('the Dirichlet sampler has the right mean and the gamma sampler the right moments', () => {
    const rng = new Rng(9);
    const n = 20000;
    let g = 0;
    let g2 = 0;
    for (let i = 0; i < n; i++) {
      const v = rng.gamma(0.5);
      g += v;
      g2 += v * v;
    }
    // Gamma(0.5, 1): mean 0.5, variance 0.5
    assert.ok(Math.abs(g / n - 0.5) < 0.02);
    assert.ok(Math.abs(g2 / n - (g / n) ** 2 - 0.5) < 0.04);
    const mean = new Array(4).fill(0);
    for (let i = 0; i < 5000; i++) {
      const p = rng.dirichlet(1, 4);
      for (let k = 0; k < 4; k++) mean[k] += (p[k] as number) / 5000;
    }
    for (const m of mean) assert.ok(Math.abs(m - 0.25) < 0.01);
  });
});
