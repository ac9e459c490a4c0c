/**
 * Counts of measured bit strings. Bit strings list qubits in measurement order (qubit 0 first when the whole
 * state is measured), as CUDA-Q prints them: "01" means the first measured qubit read 0 and the second read 1.
 */
export class SampleResult implements Iterable<[string, number]> {
  readonly shots: number;

  constructor(
    readonly counts: Map<string, number>,
    readonly registers: Map<string, Map<string, number>> = new Map(),
  ) {
    let s = 0;
    for (const c of counts.values()) s += c;
    this.shots = s;
  }

  get(bits: string): number {
    return this.counts.get(bits) ?? 0;
  }

  probability(bits: string): number {
    return this.shots ? this.get(bits) / this.shots : 0;
  }

  /** The most frequent bit string (ties broken by the smaller string). */
  mostProbable(): string {
    let best = '';
    let bc = -1;
    for (const [b, c] of this.counts) if (c > bc || (c === bc && b < best)) [best, bc] = [b, c];
    return best;
  }

  /** ⟨Z⊗…⊗Z⟩ estimated from the counts: mean of (−1)^(number of ones). */
  expectation(): number {
    let acc = 0;
    for (const [b, c] of this.counts) {
      let ones = 0;
      for (const ch of b) if (ch === '1') ones++;
      acc += ones & 1 ? -c : c;
    }
    return this.shots ? acc / this.shots : 0;
  }

  get registerNames(): string[] {
    return [...this.registers.keys()];
  }

  /** Counts of one named register (mz(q, "name")). */
  register(name: string): SampleResult {
    const r = this.registers.get(name);
    if (!r)
      throw new Error(`no register named '${name}'; registers: ${this.registerNames.join(', ') || 'none'}`);
    return new SampleResult(r);
  }

  /** Marginal counts over positions of the bit string. */
  marginal(positions: number[]): SampleResult {
    const m = new Map<string, number>();
    for (const [b, c] of this.counts) {
      const k = positions.map((p) => b[p]).join('');
      m.set(k, (m.get(k) ?? 0) + c);
    }
    return new SampleResult(m);
  }

  [Symbol.iterator](): Iterator<[string, number]> {
    return [...this.counts.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))[Symbol.iterator]();
  }

  toString(): string {
    return `{ ${[...this].map(([b, c]) => `${b}:${c}`).join(' ')} }`;
  }

  toJSON(): Record<string, number> {
    return Object.fromEntries(this);
  }
}
