/** Benchmark circuits as plain gate lists, so every simulator (ours, the baseline, the npm peers) runs the same thing. */
export interface BGate {
  name: 'h' | 'x' | 'rx' | 'ry' | 'rz' | 'cx' | 'cr1' | 'swap';
  q: number[]; // controls first, then target(s)
  theta?: number;
}

export function ghz(n: number): BGate[] {
  const g: BGate[] = [{ name: 'h', q: [0] }];
  for (let i = 0; i + 1 < n; i++) g.push({ name: 'cx', q: [i, i + 1] });
  return g;
}

/** QFT of the basis state |0101…⟩: x gates, then h + controlled-phase fans, then the reversing swaps. */
export function qft(n: number): BGate[] {
  const g: BGate[] = [];
  for (let i = 1; i < n; i += 2) g.push({ name: 'x', q: [i] });
  for (let j = n - 1; j >= 0; j--) {
    g.push({ name: 'h', q: [j] });
    for (let m = j - 1; m >= 0; m--) g.push({ name: 'cr1', q: [m, j], theta: Math.PI / 2 ** (j - m) });
  }
  for (let i = 0; i < Math.floor(n / 2); i++) g.push({ name: 'swap', q: [i, n - 1 - i] });
  return g;
}

/** Per layer a random rotation (rx, ry or rz, random angle) on every qubit, then a CX ladder. */
export function layered(n: number, layers = 20, seed = 12345): BGate[] {
  let s = seed >>> 0;
  const r = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const g: BGate[] = [];
  for (let l = 0; l < layers; l++) {
    for (let i = 0; i < n; i++)
      g.push({ name: (['rx', 'ry', 'rz'] as const)[Math.floor(r() * 3)], q: [i], theta: r() * 2 * Math.PI });
    for (let i = 0; i + 1 < n; i++) g.push({ name: 'cx', q: [i, i + 1] });
  }
  return g;
}

export const CIRCUITS: Record<string, (n: number) => BGate[]> = { ghz, qft, layered: (n) => layered(n) };
