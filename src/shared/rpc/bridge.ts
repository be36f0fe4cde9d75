import type { DesktopMessage } from '../contract/alerts'
import type { CandleworkClient } from './client'

/**
 * What the preload exposes on `window.candlework`: the client interface, and the desktop's own
 * messages from main (checked against `desktopMessageSchema` before a listener hears them).
 */
export type CandleworkBridge = CandleworkClient & {
  readonly host: 'desktop'
  onDesktopMessage(listener: (message: DesktopMessage) => void): () => void
}

/** IPC channel names: one per direction, never loose strings elsewhere. */
export const IPC_TO_MAIN = 'candlework:rpc'
export const IPC_TO_RENDERER = 'candlework:rpc-reply'
/** Main to renderer only: a `DesktopMessage` (open an alert's chart), never an RPC reply. */
export const IPC_DESKTOP_MESSAGE = 'candlework:desktop-message'
