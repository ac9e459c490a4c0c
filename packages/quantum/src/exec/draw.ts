import type { Circuit, Op } from '../ir/circuit.js';

/** Text diagram: one row per qubit, one column per operation (ops on disjoint qubits share a column). */
export function drawCircuit(circuit: Circuit): string {
  const n = circuit.numQubits;
  const columns: Array<Map<number, string>> = [];
  const spans: Array<[number, number][]> = [];
  const level = new Array<number>(n).fill(0);
  const measuredAt = new Map<number, number>();
  let after = -1; // column of the measurement a conditional waits for
  const place = (qs: number[], cells: Map<number, string>): number => {
    const lo = Math.min(...qs),
      hi = Math.max(...qs);
    let col = after + 1;
    for (let q = lo; q <= hi; q++) col = Math.max(col, level[q]);
    while (columns.length <= col) {
      columns.push(new Map());
      spans.push([]);
    }
    for (const [q, s] of cells) columns[col].set(q, s);
    if (hi > lo) spans[col].push([lo, hi]);
    for (let q = lo; q <= hi; q++) level[q] = col + 1;
    return col;
  };
  const fmt = (v: number) => (Math.abs(v) < 1e-12 ? '0' : Number(v.toFixed(3)).toString());
  const visit = (ops: Op[], cond?: number) => {
    for (const op of ops) {
      const cells = new Map<number, string>();
      if (op.type === 'gate') {
        const label = `${op.name}${op.adjoint ? '†' : ''}${op.params.length ? `(${op.params.map(fmt).join(',')})` : ''}${cond !== undefined ? `?m${cond}` : ''}`;
        for (const c of op.controls) cells.set(c, '●');
        if (op.name === 'swap') {
          cells.set(op.targets[0], '╳');
          cells.set(op.targets[1], '╳');
        } else cells.set(op.targets[0], op.name === 'x' && op.controls.length ? '⊕' : label);
        place([...op.targets, ...op.controls], cells);
      } else if (op.type === 'pauli') {
        op.targets.forEach((q, i) => {
          cells.set(q, `e^iθ${op.word[i]}(${fmt(op.theta)})`);
        });
        for (const c of op.controls) cells.set(c, '●');
        place([...op.targets, ...op.controls], cells);
      } else if (op.type === 'measure') {
        cells.set(
          op.qubit,
          `M${op.basis === 'z' ? '' : op.basis}${op.register === '__global__' ? '' : `:${op.register}`}#${op.id}`,
        );
        measuredAt.set(op.id, place([op.qubit], cells));
      } else if (op.type === 'reset') {
        cells.set(op.qubit, '|0⟩');
        place([op.qubit], cells);
      } else {
        const saved = after;
        after = Math.max(after, measuredAt.get(op.measureId) ?? -1);
        visit(op.ops, op.measureId);
        after = saved;
      }
    }
  };
  visit(circuit.ops);
  const labels = Array.from({ length: n }, (_, q) => `q${q} : `);
  const lw = Math.max(...labels.map((l) => l.length));
  const rows = labels.map((l) => l.padStart(lw));
  columns.forEach((col, ci) => {
    const w = Math.max(1, ...[...col.values()].map((s) => [...s].length)) + 2;
    for (let q = 0; q < n; q++) {
      const cell = col.get(q);
      const inSpan = spans[ci].some(([lo, hi]) => q > lo && q < hi);
      if (cell) {
        const len = [...cell].length;
        const left = Math.floor((w - len) / 2);
        rows[q] += '─'.repeat(left) + cell + '─'.repeat(w - len - left);
      } else {
        const mid = Math.floor((w - 1) / 2);
        rows[q] += inSpan ? `${'─'.repeat(mid)}┼${'─'.repeat(w - mid - 1)}` : '─'.repeat(w);
      }
    }
  });
  return `${rows.map((r) => `${r}─`).join('\n')}\n`;
}
