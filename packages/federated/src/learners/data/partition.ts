/**
 * Splitting a labelled data set across sites, reproducibly from a seed: IID, Dirichlet label skew
 * (Hsu et al. 2019) and pathological label shards (McMahan et al. 2017: each site sees a few classes).
 */
import { Rng } from '../../numeric/random.js';

export type PartitionSpec =
  | { kind: 'iid'; numSites: number; samplesPerSite?: number; seed: number }
  | { kind: 'dirichlet'; numSites: number; alpha: number; samplesPerSite?: number; seed: number }
  | { kind: 'label-skew'; numSites: number; classesPerSite: number; samplesPerSite?: number; seed: number };

/** Indices for every site; sites that would get nothing get an empty array (the caller decides if that is an error). */
export function partition(labels: ArrayLike<number>, spec: PartitionSpec): Int32Array[] {
  const rng = new Rng(spec.seed);
  const n = labels.length;
  const cap = (idx: number[]): Int32Array =>
    Int32Array.from(spec.samplesPerSite ? idx.slice(0, spec.samplesPerSite) : idx);
  if (spec.kind === 'iid') {
    const perm = rng.permutation(n);
    const per = Math.min(spec.samplesPerSite ?? Math.floor(n / spec.numSites), Math.floor(n / spec.numSites));
    return Array.from({ length: spec.numSites }, (_, s) => perm.slice(s * per, (s + 1) * per));
  }
  const byClass = new Map<number, number[]>();
  for (const i of rng.permutation(n)) {
    const c = labels[i] as number;
    const list = byClass.get(c);
    if (list) list.push(i);
    else byClass.set(c, [i]);
  }
  const classes = [...byClass.keys()].sort((a, b) => a - b);
  const sites: number[][] = Array.from({ length: spec.numSites }, () => []);
  if (spec.kind === 'dirichlet') {
    for (const c of classes) {
      const idx = byClass.get(c) as number[];
      const p = rng.dirichlet(spec.alpha, spec.numSites);
      let start = 0;
      let acc = 0;
      for (let s = 0; s < spec.numSites; s++) {
        acc += p[s] as number;
        const end = s === spec.numSites - 1 ? idx.length : Math.round(acc * idx.length);
        for (let j = start; j < end; j++) (sites[s] as number[]).push(idx[j] as number);
        start = end;
      }
    }
    return sites.map((idx) => cap(rng.shuffle(idx) as number[]));
  }
  // label-skew: site s holds classes order[s*k .. s*k+k-1] (mod the class count), and each class's rows are
  // split evenly among the sites that hold it, so every site sees exactly k classes (McMahan et al.'s shards).
  const k = Math.min(spec.classesPerSite, classes.length);
  const order = rng.sample(classes, classes.length);
  const holders = new Map<number, number[]>();
  for (let s = 0; s < spec.numSites; s++) {
    for (let j = 0; j < k; j++) {
      const c = order[(s * k + j) % order.length] as number;
      const h = holders.get(c);
      if (h) h.push(s);
      else holders.set(c, [s]);
    }
  }
  for (const [c, hs] of holders) {
    const idx = byClass.get(c) as number[];
    hs.forEach((s, j) => {
      for (
        let i = Math.floor((j * idx.length) / hs.length);
        i < Math.floor(((j + 1) * idx.length) / hs.length);
        i++
      ) {
        (sites[s] as number[]).push(idx[i] as number);
      }
    });
  }
  return sites.map((idx) => cap(rng.shuffle(idx) as number[]));
}

/** Which site index a site name stands for: an explicit list wins, otherwise the trailing number (site-3 -> 2). */
export function siteIndex(site: string, numSites: number, sites?: string[]): number {
  if (sites) {
    const i = sites.indexOf(site);
    if (i < 0) throw new Error(`site ${site} is not in the client config's sites list (${sites.join(', ')})`);
    return i;
  }
  const m = /(\d+)$/.exec(site);
  if (!m)
    throw new Error(`site ${site}: name does not end in a number; list the sites in dataset.partition.sites`);
  const i = Number(m[1]) - 1;
  if (i < 0 || i >= numSites)
    throw new Error(`site ${site}: number ${i + 1} is outside 1..${numSites} (dataset.partition.numSites)`);
  return i;
}
