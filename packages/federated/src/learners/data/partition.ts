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
  // label-skew: sort by class, cut into numSites * classesPerSite shards, deal each site that many shards.
  const sorted = classes.flatMap((c) => byClass.get(c) as number[]);
  const shards = spec.numSites * spec.classesPerSite;
  const shardSize = Math.floor(sorted.length / shards);
  const order = rng.permutation(shards);
  for (let k = 0; k < shards; k++) {
    const s = Math.floor(k / spec.classesPerSite);
    const shard = order[k] as number;
    for (let j = shard * shardSize; j < (shard + 1) * shardSize; j++)
      (sites[s] as number[]).push(sorted[j] as number);
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
