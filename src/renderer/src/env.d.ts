import type { CandleworkBridge } from '../../shared/rpc/bridge'

declare global {
  interface Window {
    /** Present only in the desktop app (set by the preload script). */
    candlework?: CandleworkBridge
  }
}
export {}
