import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The viewer is built as one classic script (IIFE) plus one stylesheet, which
// the HTML report inlines; no chunks, no module preload, nothing fetched.
const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../viewer-dist', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    minify: true,
    sourcemap: false,
    reportCompressedSize: false,
    lib: {
      entry: fileURLToPath(new URL('src/main.ts', import.meta.url)),
      formats: ['iife'],
      name: 'culpritViewer',
      fileName: () => 'viewer.js',
      cssFileName: 'viewer',
    },
  },
});
