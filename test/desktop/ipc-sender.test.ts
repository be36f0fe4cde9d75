import type { IpcMain } from 'electron'
import { describe, expect, it } from 'vitest'
import { IPC_TO_MAIN, IPC_TO_RENDERER } from '../../src/shared/rpc/bridge'
import { isTrustedSender } from '../../src/main/desktop/ipc-sender'
import { serveIpc } from '../../src/main/desktop/ipc-transport'
import { rendererLocation } from '../../src/main/desktop/renderer-location'
import { registryWith } from '../support/memory-transport'

const { isTrusted } = rendererLocation({ isPackaged: true })
const info = { version: '1', host: 'desktop' as const, dataDir: '/d', startedAt: 1 }

/** A window's webContents as the IPC transport sees it: an id, frames, send and events. */
function fakeWindow(id: number, url: string) {
  const mainFrame = { url }
  const sent: unknown[] = []
  return {
    mainFrame,
    sent,
    contents: {
      id,
      mainFrame,
      isDestroyed: () => false,
      send: (channel: string, msg: unknown) => channel === IPC_TO_RENDERER && sent.push(msg),
      once: () => undefined,
      on: () => undefined,
    },
  }
}

function fakeIpcMain() {
  let listener: ((event: unknown, message: unknown) => void) | undefined
  const ipc = {
    on: (channel: string, l: typeof listener) => {
      if (channel === IPC_TO_MAIN) listener = l
    },
    off: () => (listener = undefined),
  }
  return {
    ipc: ipc as unknown as Pick<IpcMain, 'on' | 'off'>,
    emit: (event: unknown, message: unknown) => listener?.(event, message),
    get listening() {
      return !!listener
    },
  }
}

describe('the IPC sender check', () => {
  const main = { url: 'app://candlework/index.html' }

  it('accepts the main frame of a page on app://candlework', () => {
    expect(isTrustedSender({ senderFrame: main, sender: { mainFrame: main } }, isTrusted)).toBe(true)
  })

  it.each([
    ['a subframe', { senderFrame: { url: 'app://candlework/index.html' }, sender: { mainFrame: main } }],
    ['a frame that is gone', { senderFrame: null, sender: { mainFrame: main } }],
    ['a page from file://', sameFrame('file:///opt/candlework/out/renderer/index.html')],
    ['another app:// host', sameFrame('app://evil/index.html')],
    ['a look-alike host', sameFrame('app://candlework.evil/index.html')],
    ['a web page', sameFrame('https://evil.example/')],
  ])('refuses %s', (_why, event) => {
    expect(isTrustedSender(event, isTrusted)).toBe(false)
  })

  it('is what serveIpc applies: only the trusted window gets an answer', async () => {
    const fake = fakeIpcMain()
    const { emit } = fake
    const stop = serveIpc(fake.ipc, registryWith({ 'system.info': () => info }), isTrusted)
    const ours = fakeWindow(1, 'app://candlework/index.html')
    const theirs = fakeWindow(2, 'https://evil.example/')
    const invoke = { type: 'invoke', id: 1, name: 'system.info', params: {} }
    emit({ sender: ours.contents, senderFrame: ours.mainFrame }, invoke)
    emit({ sender: theirs.contents, senderFrame: theirs.mainFrame }, invoke)
    await expect.poll(() => ours.sent).toHaveLength(1)
    expect(ours.sent[0]).toMatchObject({ type: 'result', id: 1, result: { ok: true, value: info } })
    await new Promise((r) => setTimeout(r, 20))
    expect(theirs.sent).toEqual([])
    expect(fake.listening).toBe(true)
    stop()
    expect(fake.listening).toBe(false)
  })
})

function sameFrame(url: string) {
  const frame = { url }
  return { senderFrame: frame, sender: { mainFrame: frame } }
}
