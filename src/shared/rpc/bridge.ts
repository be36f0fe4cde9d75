import type { CandleworkClient } from './client'

/** What the preload exposes on `window.candlework`: the client interface and nothing else. */
export type CandleworkBridge = CandleworkClient & { readonly host: 'desktop' }

/** IPC channel names: one per direction, never loose strings elsewhere. */
export const IPC_TO_MAIN = 'candlework:rpc'
export const IPC_TO_RENDERER = 'candlework:rpc-reply'
