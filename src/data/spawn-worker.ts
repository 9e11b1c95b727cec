// Starts one of the data layer's worker threads (image decoding, Parquet reading) from the compiled
// .js file beside this one, or from the TypeScript sources under tsx (tests).
import { createRequire } from 'node:module';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * The worker runs `<name>.js` next to this file; from TypeScript sources (tests, tsx) it first
 * registers tsx's loader in the worker, since Node does not run .ts files itself.
 */
export function spawnWorker(name: string, options: WorkerOptions = {}): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  const url = new URL(fromSource ? `./${name}.ts` : `./${name}.js`, import.meta.url);
  if (!fromSource) return new Worker(url, options);
  const tsx = createRequire(import.meta.url)
    .resolve('tsx/esm/api')
    .replace(/\.cjs$/, '.mjs');
  const source = `import(${JSON.stringify(new URL(`file://${tsx}`).href)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(source, { ...options, eval: true });
}
