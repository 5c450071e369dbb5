import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The app lives in client/; the bundle goes to dist/public, which the Express server serves.
// `vite` (dev) forwards the API to the web server of `make dev`, so the browser sees one origin.
export default defineConfig({
  root: 'client',
  plugins: [react()],
  build: { outDir: '../dist/public', emptyOutDir: true, sourcemap: true },
  server: {
    proxy: { '/v1': 'http://127.0.0.1:8087', '/web-api': 'http://127.0.0.1:8087' },
  },
});
