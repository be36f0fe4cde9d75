/**
 * The bridge between the sandboxed renderer and main: `window.candlework` offers the typed
 * `invoke`/`subscribe` of the contract, and `onDesktopMessage` for main's own messages (open an
 * alert's chart), checked against the contract's schema here. Names outside the contract are
 * refused here, before anything crosses to main.
 */
import { contextBridge, ipcRenderer } from 'electron'
import { isCommandName, isStreamName } from '../shared/contract'
import type { CandleworkBridge } from '../shared/rpc/bridge'
import { IPC_DESKTOP_MESSAGE, IPC_TO_MAIN, IPC_TO_RENDERER } from '../shared/rpc/bridge'
import { createDesktopRelay } from '../shared/rpc/desktop-relay'
import { RpcClient } from '../shared/rpc/client'
import { serverMessageSchema } from '../shared/rpc/wire'

const client = new RpcClient((msg) => ipcRenderer.send(IPC_TO_MAIN, msg))
ipcRenderer.on(IPC_TO_RENDERER, (_event, raw: unknown) => {
  const parsed = serverMessageSchema.safeParse(raw)
  if (parsed.success) client.receive(parsed.data)
})

const desktop = createDesktopRelay()
ipcRenderer.on(IPC_DESKTOP_MESSAGE, (_event, raw: unknown) => desktop.receive(raw))

const refused = (name: string) => ({
  ok: false as const,
  error: { kind: 'not_found' as const, message: `"${name}" is not in the Candlework contract`, path: 'name' },
})

const bridge: CandleworkBridge = {
  host: 'desktop',
  invoke: (name, params) =>
    isCommandName(name) ? client.invoke(name, params) : Promise.resolve(refused(String(name))),
  subscribe: (name, params, onEvent, onEnd) => {
    if (!isStreamName(name)) {
      onEnd?.(refused(String(name)).error)
      return () => {}
    }
    return client.subscribe(name, params, onEvent, onEnd)
  },
  onDesktopMessage: (listener) => desktop.on(listener),
}

contextBridge.exposeInMainWorld('candlework', bridge)
