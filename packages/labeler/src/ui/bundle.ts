import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

let cached: Promise<string> | null = null;

/** Bundles the browser app (plain TypeScript + DOM + canvas) once per process, from source or from dist. */
export function uiBundle(): Promise<string> {
  cached ??= (async () => {
    const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
    const entry = fileURLToPath(new URL(`./app/main${ext}`, import.meta.url));
    const r = await esbuild.build({
      entryPoints: [entry],
      bundle: true,
      format: 'esm',
      target: 'es2022',
      write: false,
      minify: false,
      sourcemap: 'inline',
      logLevel: 'silent',
    });
    return r.outputFiles[0].text;
  })();
  return cached;
}
