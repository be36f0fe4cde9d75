import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'

/**
 * One build for both hosts: `main/index.js` (the Electron shell), `main/serve.js` (the headless
 * host), `preload/index.cjs` (sandboxed preloads must be CommonJS with every dependency bundled)
 * and `renderer/` (served by either host).
 *
 * Two modes, each with its own folder so a test build is never served as the product:
 * - production (`npm run build`, `npm start`, `npm run serve`, `npm run dist`) into out/;
 * - test (`npm run build:test`, made by the end-to-end suite and the chart bench) into out-test/:
 *   the same code, and the renderer also installs its read-only test hook (`window.__candlework`);
 *   main has the desktop's e2e probe (tray and notifications, only with CANDLEWORK_E2E=1).
 *   `__CANDLEWORK_TEST_HOOK__` is a compile-time constant, so in production every use of the hook
 *   is dead code and the bundler drops it (test/build/no-test-code.test.ts proves the bundle
 *   has none of it).
 */
export default defineConfig(({ mode }) => {
  const testBuild = mode === 'test'
  const out = testBuild ? 'out-test' : 'out'
  return {
    main: {
      // The test build's main also has the desktop's e2e probe (src/main/desktop/e2e-probe.ts).
      define: { __CANDLEWORK_TEST_HOOK__: JSON.stringify(testBuild) },
      build: {
        outDir: `${out}/main`,
        // Pure-JS dependencies the engine loads at start are bundled in: resolving and
        // translating their many files (zod's modules, luxon's CommonJS through node-schedule,
        // pino's) cost a tenth of the host's start-up CPU. pino is bundled without its worker
        // transports, which log.ts does not use (they load their target by path at run time).
        // Native and worker-spawning ones (better-sqlite3, ws, ccxt, loaded on first use) stay
        // external.
        externalizeDeps: {
          exclude: [
            'zod',
            'node-schedule',
            'cron-parser',
            'luxon',
            'big.js',
            'long-timeout',
            'sorted-array-functions',
            'pino',
            'pino-std-serializers',
            '@pinojs/redact',
            'safe-stable-stringify',
            'sonic-boom',
            'atomic-sleep',
            'on-exit-leak-free',
            'quick-format-unescaped',
            'process-warning',
          ],
        },
        rollupOptions: {
          input: { index: 'src/main/index.ts', serve: 'src/main/headless/serve.ts' },
        },
      },
    },
    preload: {
      build: {
        outDir: `${out}/preload`,
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
      define: { __CANDLEWORK_TEST_HOOK__: JSON.stringify(testBuild) },
      build: { outDir: `${out}/renderer`, rollupOptions: { input: 'src/renderer/index.html' } },
    },
  }
})
