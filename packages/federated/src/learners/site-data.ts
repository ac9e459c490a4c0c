/** Builds one site's training and validation data from the client config: lazily, from shared caches. */
import { deriveSeed } from '../numeric/random.js';
import type { ClientAppConfig } from './config.js';
import { loadBreastCancer, standardise } from './data/breast-cancer.js';
import { loadMnist, MNIST_PIXELS, mnistRows } from './data/mnist.js';
import { partition, siteIndex } from './data/partition.js';
import type { Dataset } from './dense-trainer.js';

export interface SiteData {
  train: Dataset;
  validation: Dataset;
}

/** Partitions are computed once per process per configuration and shared by all virtual sites. */
const partitions = new Map<string, Int32Array[]>();

function cachedPartition(key: string, make: () => Int32Array[]): Int32Array[] {
  let p = partitions.get(key);
  if (!p) {
    p = make();
    partitions.set(key, p);
    if (partitions.size > 8) partitions.delete(partitions.keys().next().value as string);
  }
  return p;
}

export function loadSiteData(cfg: ClientAppConfig, site: string): SiteData {
  const ds = cfg.dataset;
  const part = ds.partition;
  const index = siteIndex(site, part.numSites, part.sites);
  if (ds.name === 'mnist') {
    const train = loadMnist('train');
    const test = loadMnist('test');
    const trainIdx = cachedPartition(`mnist-train:${JSON.stringify(part)}`, () =>
      partition(train.labels, part),
    )[index] as Int32Array;
    if (trainIdx.length === 0)
      throw new Error(
        `site ${site}: its MNIST shard is empty (${part.kind} split over ${part.numSites} sites)`,
      );
    // Validation: an IID slice of the test set, so every site measures the same global task.
    const valIdx = cachedPartition(`mnist-test:${part.numSites}:${part.seed}`, () =>
      partition(test.labels, {
        kind: 'iid',
        numSites: Math.min(part.numSites, test.count),
        seed: deriveSeed(part.seed, 'validation'),
      }),
    )[index % Math.min(part.numSites, test.count)] as Int32Array;
    const tr = mnistRows(train, trainIdx);
    const va = mnistRows(test, valIdx.subarray(0, ds.validationSamples));
    return {
      train: { x: tr.x, y: tr.y, count: trainIdx.length, features: MNIST_PIXELS },
      validation: { x: va.x, y: va.y, count: va.y.length, features: MNIST_PIXELS },
    };
  }
  const table = loadBreastCancer(ds.csvPath);
  const idx = cachedPartition(`bc:${ds.csvPath}:${JSON.stringify(part)}`, () => partition(table.y, part))[
    index
  ] as Int32Array;
  const nVal = Math.max(1, Math.round(idx.length * ds.validationFraction));
  if (idx.length - nVal < 2)
    throw new Error(`site ${site}: only ${idx.length} breast-cancer rows; use fewer sites`);
  const rows = (ids: Int32Array): Dataset => {
    const x = new Float32Array(ids.length * table.features);
    const y = new Int32Array(ids.length);
    ids.forEach((i, r) => {
      x.set(table.x.subarray(i * table.features, (i + 1) * table.features), r * table.features);
      y[r] = table.y[i] as number;
    });
    return { x, y, count: ids.length, features: table.features };
  };
  const validation = rows(idx.subarray(0, nVal));
  const train = rows(idx.subarray(nVal));
  standardise(train.x.slice(), table.features, train.x, validation.x);
  return { train, validation };
}
