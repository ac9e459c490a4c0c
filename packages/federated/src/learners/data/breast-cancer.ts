/**
 * The Wisconsin diagnostic breast-cancer table (569 rows, 30 features) as shipped in Debian's python3-sklearn.
 * Label 1 is benign, 0 malignant, as in scikit-learn.
 */
import { existsSync, readFileSync } from 'node:fs';

export const BREAST_CANCER_PATHS = [
  '/usr/lib/python3/dist-packages/sklearn/datasets/data/breast_cancer.csv',
  '/usr/local/lib/python3/dist-packages/sklearn/datasets/data/breast_cancer.csv',
];

export interface Table {
  x: Float32Array; // rows * features
  y: Int32Array;
  rows: number;
  features: number;
}

export function loadBreastCancer(csvPath?: string): Table {
  const file = csvPath ?? BREAST_CANCER_PATHS.find((p) => existsSync(p));
  if (!file || !existsSync(file)) {
    throw new Error(
      `breast-cancer data not found${csvPath ? ` at ${csvPath}` : ''}: install the Debian package python3-sklearn (apt-get install python3-sklearn) or set dataset.csvPath`,
    );
  }
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  const [rows, features] = (lines[0] as string).split(',').map(Number) as [number, number];
  if (!(rows > 0 && features > 0) || lines.length - 1 !== rows)
    throw new Error(`${file}: header says ${rows} rows, file has ${lines.length - 1}`);
  const x = new Float32Array(rows * features);
  const y = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    const cells = (lines[r + 1] as string).split(',').map(Number);
    if (cells.length !== features + 1 || cells.some((v) => !Number.isFinite(v)))
      throw new Error(`${file}: row ${r + 2} is malformed`);
    for (let f = 0; f < features; f++) x[r * features + f] = cells[f] as number;
    y[r] = cells[features] as number;
  }
  return { x, y, rows, features };
}

/** z-scores the columns of `x` with the mean and spread of `fit` (a site standardises with its own training rows). */
export function standardise(fit: Float32Array, features: number, ...targets: Float32Array[]): void {
  const n = fit.length / features;
  for (let f = 0; f < features; f++) {
    let mean = 0;
    for (let r = 0; r < n; r++) mean += fit[r * features + f] as number;
    mean /= n;
    let sq = 0;
    for (let r = 0; r < n; r++) sq += ((fit[r * features + f] as number) - mean) ** 2;
    const std = Math.sqrt(sq / n) || 1;
    for (const t of targets)
      for (let r = 0; r < t.length / features; r++)
        t[r * features + f] = ((t[r * features + f] as number) - mean) / std;
  }
}
