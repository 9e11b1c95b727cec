// Vite configuration of the playground: root web/, output web/dist/, relative paths so the built page works from any folder.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { nodeStubs } from './node-stubs.js';

// Only the report code of the library uses packages such as vega: with their import side effects
// ignored, the playground's bundles keep just what it calls.
const treeshake = { moduleSideEffects: (id: string): boolean => !id.includes('/node_modules/') && !id.startsWith('\0node-stub:') };

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [nodeStubs()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: { treeshake },
  },
  // The training worker is an ES module (it imports the library), so bundle it as one.
  worker: { format: 'es', plugins: () => [nodeStubs()], rollupOptions: { treeshake } },
});
