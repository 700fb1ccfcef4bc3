import { defineConfig } from 'vite';

// `npm run dev --workspace @meridian/web` proxies the API of a local `meridian serve`.
export default defineConfig({
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1200 },
  server: { proxy: { '/api': process.env.MERIDIAN_API ?? 'http://127.0.0.1:8080' } },
});
