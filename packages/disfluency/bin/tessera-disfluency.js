#!/usr/bin/env node
// A committed entry point, so that npm links `tessera-disfluency` at install time, before dist/ is built.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(cli)) {
  console.error(
    'tessera-disfluency: the package is not built yet; run `npm run build` (or `bash scripts/setup.sh`) in the repository root.',
  );
  process.exit(1);
}
await import(cli.href);
