// Builds the test page (test/web/wasm-threads.e2e.test.ts passes outDir); the worker is an ES module.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  logLevel: 'warn',
  build: { emptyOutDir: true, target: 'es2022' },
  worker: { format: 'es' },
});
