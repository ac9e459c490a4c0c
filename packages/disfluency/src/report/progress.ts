/** A one-line progress bar on stderr (redrawn in place on a terminal, printed every few percent otherwise). */
export class ProgressBar {
  private readonly start = Date.now();
  private lastPrinted = -1;
  constructor(
    private readonly total: number,
    private readonly label: string,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  update(done: number, info = ''): void {
    const frac = Math.min(1, done / this.total);
    const elapsed = (Date.now() - this.start) / 1000;
    const eta = done > 0 ? (elapsed / done) * (this.total - done) : 0;
    const width = 28;
    const filled = Math.round(frac * width);
    const line = `${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${this.total} ${(frac * 100).toFixed(1)}% ${fmtTime(elapsed)} elapsed, ${fmtTime(eta)} left ${info}`;
    if (this.stream.isTTY) this.stream.write(`\r${line}\x1b[K`);
    else {
      const pct = Math.floor(frac * 50);
      if (pct !== this.lastPrinted || done === this.total) {
        this.lastPrinted = pct;
        this.stream.write(`${line}\n`);
      }
    }
  }

  done(): void {
    if (this.stream.isTTY) this.stream.write('\n');
  }
}

function fmtTime(s: number): string {
  const m = Math.floor(s / 60);
  return m > 0
    ? `${m}m${Math.round(s % 60)
        .toString()
        .padStart(2, '0')}s`
    : `${s.toFixed(0)}s`;
}
