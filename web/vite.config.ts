// Vite configuration of the playground: root web/, output web/dist/, relative paths so the built page works from any folder.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
  },
  // The training worker is an ES module (it imports the library), so bundle it as one.
  worker: { format: 'es' },
});
