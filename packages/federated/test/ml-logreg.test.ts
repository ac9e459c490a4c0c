import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseClientAppConfig } from '../src/learners/config.js';
import { loadBreastCancer } from '../src/learners/data/breast-cancer.js';
import { type Dataset, evaluateDense, trainDense } from '../src/learners/dense-trainer.js';
import { loadSiteData } from '../src/learners/index.js';
import { initialWeights } from '../src/learners/model-spec.js';
import { runSimulation } from '../src/simulator/index.js';

const client = {
  dataset: {
    name: 'breast-cancer',
    partition: { kind: 'iid', numSites: 3, seed: 5 },
    validationFraction: 0.25,
  },
  train: { epochs: 1, batchSize: 16, lr: 0.1 },
};

function concat(parts: Dataset[]): Dataset {
  const features = (parts[0] as Dataset).features;
  return {
    x: Float32Array.from(parts.flatMap((d) => Array.from(d.x))),
    y: Int32Array.from(parts.flatMap((d) => Array.from(d.y))),
    count: parts.reduce((a, d) => a + d.count, 0),
    features,
  };
}

describe('federated logistic regression on the breast-cancer table', () => {
  it('reads the 569 x 30 table from python3-sklearn', () => {
    const t = loadBreastCancer();
    assert.equal(t.rows, 569);
    assert.equal(t.features, 30);
    assert.equal(
      t.y.reduce((a, b) => a + b, 0),
      357,
    ); // benign cases, as documented by scikit-learn
    assert.throws(
      () => loadBreastCancer('/nonexistent/bc.csv'),
      /install the Debian package python3-sklearn/,
    );
  });

  it('the wasm trainer takes the same full-batch gradient steps as a plain-JavaScript logistic regression', async () => {
    const data = loadSiteData(parseClientAppConfig(client), 'site-1').train;
    const w0 = initialWeights({ type: 'logreg', features: 30, seed: 1 });
    const steps = 5;
    const lr = 0.5;
    const trained = await trainDense(w0, data, { epochs: steps, batchSize: data.count, lr, mu: 0, seed: 1 });
    // reference: gradient of mean sigmoid cross-entropy, w -= lr * X^T (sigmoid(Xw + b) - y) / n
    const w = new Float64Array(30);
    let b = 0;
    for (let s = 0; s < steps; s++) {
      const gw = new Float64Array(30);
      let gb = 0;
      for (let r = 0; r < data.count; r++) {
        let z = b;
        for (let f = 0; f < 30; f++) z += (data.x[r * 30 + f] as number) * (w[f] as number);
        const err = 1 / (1 + Math.exp(-z)) - (data.y[r] as number);
        for (let f = 0; f < 30; f++) gw[f] = (gw[f] as number) + err * (data.x[r * 30 + f] as number);
        gb += err;
      }
      for (let f = 0; f < 30; f++) w[f] = (w[f] as number) - (lr * (gw[f] as number)) / data.count;
      b -= (lr * gb) / data.count;
    }
    const kernel = trained.weights['dense_0/kernel']?.data as Float32Array;
    for (let f = 0; f < 30; f++)
      assert.ok(
        Math.abs((kernel[f] as number) - (w[f] as number)) < 1e-4,
        `feature ${f}: ${kernel[f]} vs ${w[f]}`,
      );
    assert.ok(Math.abs((trained.weights['dense_0/bias']?.data[0] as number) - b) < 1e-4);
  });

  it('FedAvg over three hospitals matches centralised training on their pooled rows', async () => {
    const server = {
      workflow: 'fedavg',
      rounds: 10,
      minClients: 3,
      seed: 2,
      initialModel: { type: 'logreg', features: 30 },
    };
    const result = await runSimulation({ config: { name: 'bc', server, client }, clients: 3, threads: 0 });
    const fedAcc = result.history.at(-1)?.metrics.val_accuracy as number;

    const cfg = parseClientAppConfig(client);
    const sites = ['site-1', 'site-2', 'site-3'].map((s) => loadSiteData(cfg, s));
    const train = concat(sites.map((s) => s.train));
    const validation = concat(sites.map((s) => s.validation));
    let central = initialWeights({ type: 'logreg', features: 30, seed: 1 });
    for (let e = 0; e < 10; e++)
      central = (await trainDense(central, train, { epochs: 1, batchSize: 16, lr: 0.1, mu: 0, seed: e }))
        .weights;
    const centralAcc = (await evaluateDense(central, validation, '')).accuracy as number;
    console.log(
      `breast cancer: FedAvg ${(fedAcc * 100).toFixed(1)}%, centralised ${(centralAcc * 100).toFixed(1)}% on ${validation.count} held-out rows`,
    );
    assert.ok(fedAcc > 0.93, `federated accuracy ${fedAcc}`);
    assert.ok(Math.abs(fedAcc - centralAcc) <= 0.03, `FedAvg ${fedAcc} vs centralised ${centralAcc}`);
  });
});
