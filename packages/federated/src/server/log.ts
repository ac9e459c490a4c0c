/** One line per event, timestamped, to stdout: what an operator tails. */
export function makeLogger(prefix: string, quiet = false): (msg: string) => void {
  return (msg: string) => {
    if (!quiet) process.stdout.write(`${new Date().toISOString()} [${prefix}] ${msg}\n`);
  };
}
