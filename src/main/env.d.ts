// electron-vite's import suffixes (`?modulePath`) for the compute worker's chunk; see compute-pool.ts.
/// <reference types="electron-vite/node" />

/**
 * True in the test build only (electron.vite.config.ts `define`): the desktop's e2e probe
 * (desktop/e2e-probe.ts) is dead code in production and the bundler drops it.
 */
declare const __CANDLEWORK_TEST_HOOK__: boolean
