// Vite configuration of the nengli browser UI.
// `npm run build` writes web/dist, which the C build embeds into the binary and serves at `/` under a strict
// Content-Security-Policy (no inline scripts, no eval): vue-i18n therefore runs its runtime-only build with the
// messages precompiled here by @intlify/unplugin-vue-i18n (JIT AST, no `new Function`).
// `npm run dev` proxies the API to a running `nengli serve` (NENGLI_API, default http://127.0.0.1:8080).
import { fileURLToPath, URL } from 'node:url'
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import VueI18nPlugin from '@intlify/unplugin-vue-i18n/vite'

const api = process.env.NENGLI_API || 'http://127.0.0.1:8080'

export default defineConfig({
  base: '/',
  plugins: [
    vue(),
    VueI18nPlugin({
      include: [fileURLToPath(new URL('./src/i18n/locales/**', import.meta.url))],
      runtimeOnly: true,
      compositionOnly: true,
      jitCompilation: true,
      dropMessageCompiler: true,
      strictMessage: true,
    }),
  ],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  define: {
    __VUE_PROD_DEVTOOLS__: false,
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: false,
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: {
      '/api': { target: api, changeOrigin: false },
      '/healthz': { target: api, changeOrigin: false },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      output: {
        // Vendor code that every screen needs goes into stable chunks; Element Plus components and ECharts are
        // pulled in only by the pages that use them (the routes are lazy), so they stay out of the first screen.
        manualChunks(id) {
          if (!id.includes('node_modules')) return undefined
          if (/node_modules\/(@vue|vue|vue-router|vue-i18n|@intlify)\//.test(id)) return 'vue'
          if (/node_modules\/(echarts|zrender|vue-echarts|vue-demi)\//.test(id)) return 'echarts'
          return undefined
        },
      },
    },
  },
})
