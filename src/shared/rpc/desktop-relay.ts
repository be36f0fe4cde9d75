import { desktopMessageSchema, type DesktopMessage } from '../contract/alerts'

/**
 * The preload's side of the desktop messages: what arrives on `IPC_DESKTOP_MESSAGE` is checked
 * against the contract's `desktopMessageSchema` and handed to the page's listeners; anything
 * else is dropped. Pure (no Electron), so its tests run under Node.
 */
export function createDesktopRelay() {
  const listeners = new Set<(m: DesktopMessage) => void>()
  return {
    /** A raw IPC payload from main: answers whether it was a message the page heard. */
    receive(raw: unknown): boolean {
      const parsed = desktopMessageSchema.safeParse(raw)
      if (!parsed.success) return false
      for (const l of [...listeners]) {
        try {
          l(parsed.data)
        } catch {
          // One page listener failing must not keep the message from the others.
        }
      }
      return true
    },
    on(listener: (m: DesktopMessage) => void): () => void {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },
  }
}
