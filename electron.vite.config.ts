import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'

/**
 * One build for both hosts: `out/main/index.js` (the Electron shell), `out/main/serve.js`
 * (the headless host), `out/preload/index.cjs` (sandboxed preloads must be CommonJS with
 * every dependency bundled) and `out/renderer` (served by either host).
 */
export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: { index: 'src/main/index.ts', serve: 'src/main/headless/serve.ts' },
      },
    },
  },
  preload: {
    build: {
      externalizeDeps: false,
      rollupOptions: {
        input: { index: 'src/preload/index.ts' },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src/renderer',
    plugins: [react()],
    build: { rollupOptions: { input: 'src/renderer/index.html' } },
  },
})
