import { defineConfig } from 'vite';

// `npm run dev --workspace @meridian/web` proxies /api to a `meridian serve` on its default address.
export default defineConfig({
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1200 },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
