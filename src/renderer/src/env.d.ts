import type { CandleworkBridge } from '../../shared/rpc/bridge'

declare global {
  /**
   * True in the test build only (`electron-vite build --mode test`, see electron.vite.config.ts):
   * a constant the bundler folds, so production drops the test hook with every use of it.
   */
  const __CANDLEWORK_TEST_HOOK__: boolean
  interface Window {
    /** Present only in the desktop app (set by the preload script). */
    candlework?: CandleworkBridge
  }
}
export {}
