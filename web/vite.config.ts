import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The config lives in web/ but is usually run from the repository root
// (`npx vite build --config web/vite.config.ts`), so every path is anchored here.
const webRoot = fileURLToPath(new URL('.', import.meta.url));
const backend = 'http://127.0.0.1:8080';

// The dev and preview servers send everything that is not the web app to Zhibo.
const proxy = {
  '/api': { target: backend, changeOrigin: false },
  '/healthz': { target: backend },
  '/readyz': { target: backend },
  // Video (HTTP-FLV, HLS, replays) and uploaded covers come from the server too.
  '/live/': { target: backend },
  '/replay/': { target: backend },
  '/media/': { target: backend },
  // The live room's WebSocket (docs/realtime-protocol.md).
  '/ws/': { target: backend, ws: true },
};

export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    // The players (mpegts.js, hls.js) are loaded on demand as chunks of 270–370 kB; that is expected.
    chunkSizeWarningLimit: 800,
  },
  server: { host: '127.0.0.1', port: 5173, proxy },
  preview: { host: '127.0.0.1', port: 4173, proxy },
});
