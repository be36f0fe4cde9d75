import type { IpcMain, IpcMainEvent, WebContents } from 'electron'
import { IPC_TO_MAIN, IPC_TO_RENDERER } from '../../shared/rpc/bridge'
import type { HandlerRegistry } from '../rpc/registry'
import { RpcSession } from '../rpc/session'
import { isTrustedSender } from './ipc-sender'

/**
 * Serves the contract to app windows over Electron IPC. Messages are accepted only from the
 * main frame of a window we created showing our own renderer; one session per window, torn
 * down (with its subscriptions) when the window goes. `ipcMain` is passed in (only types are
 * imported here) so the sender check can be tested without Electron.
 */
export function serveIpc(
  ipcMain: Pick<IpcMain, 'on' | 'off'>,
  registry: HandlerRegistry,
  isTrustedUrl: (url: string) => boolean,
): () => void {
  const sessions = new Map<number, RpcSession>()

  const sessionFor = (contents: WebContents): RpcSession => {
    let session = sessions.get(contents.id)
    if (!session) {
      const s = new RpcSession(
        registry,
        (msg) => {
          if (!contents.isDestroyed()) contents.send(IPC_TO_RENDERER, msg)
        },
        { transport: 'ipc', peer: `window#${contents.id}` },
      )
      sessions.set(contents.id, s)
      contents.once('destroyed', () => {
        s.close()
        sessions.delete(contents.id)
      })
      // A reload starts a new page: the old page's subscriptions must not live on.
      contents.on('did-start-navigation', (details) => {
        if (details.isMainFrame && !details.isSameDocument) {
          s.close()
          sessions.delete(contents.id)
        }
      })
      session = s
    }
    return session
  }

  const onMessage = (event: IpcMainEvent, message: unknown) => {
    if (!isTrustedSender(event, isTrustedUrl)) return
    void sessionFor(event.sender).receive(message)
  }
  ipcMain.on(IPC_TO_MAIN, onMessage)
  return () => {
    ipcMain.off(IPC_TO_MAIN, onMessage)
    for (const s of sessions.values()) s.close()
    sessions.clear()
  }
}
