// Vite configuration of the playground: root web/, output web/dist/, relative paths so the built page works from any folder.
// Two pages: the playground (index.html) and the tour of the notes (tour.html).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const page = (name: string): string => fileURLToPath(new URL(name, import.meta.url));

/**
 * The headers that make the page cross-origin isolated: only then does a browser give it shared
 * memory, which the WASM backend needs for a second thread. The built site needs them from its server.
 */
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
} as const;

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: { input: { index: page('index.html'), tour: page('tour.html') } },
  },
  // The training worker is an ES module (it imports the library), so bundle it as one.
  worker: { format: 'es' },
  server: { headers: ISOLATION_HEADERS },
  preview: { headers: ISOLATION_HEADERS },
});
