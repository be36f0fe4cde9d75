import { describe, expect, it } from 'vitest'
import { APP_ENTRY_URL, APP_ORIGIN, isSameOrigin, originOf } from '../../src/main/desktop/app-origin'
import { rendererLocation } from '../../src/main/desktop/renderer-location'

describe('the app:// origin', () => {
  it('is app://candlework, and the window loads its index.html', () => {
    expect(APP_ORIGIN).toBe('app://candlework')
    expect(APP_ENTRY_URL).toBe('app://candlework/index.html')
  })

  it.each([
    ['app://candlework/index.html', 'app://candlework'],
    ['app://candlework/assets/x.js?v=1#top', 'app://candlework'],
    ['http://localhost:5173/', 'http://localhost:5173'],
    ['app://evil/index.html', 'app://evil'],
    ['app://user@candlework/', null],
    ['app://candlework:8080/', null],
    ['file:///opt/candlework/out/renderer/index.html', null],
    ['javascript:alert(1)', null],
    ['data:text/html,hi', null],
    ['about:blank', null],
    ['not a url', null],
  ])('originOf(%s) is %s', (url, origin) => {
    expect(originOf(url)).toBe(origin)
  })

  it('compares whole origins, not prefixes', () => {
    expect(isSameOrigin('app://candlework/x', APP_ORIGIN)).toBe(true)
    expect(isSameOrigin('app://candlework.evil.example/x', APP_ORIGIN)).toBe(false)
    expect(isSameOrigin('app://candleworkx/x', APP_ORIGIN)).toBe(false)
    expect(isSameOrigin('https://candlework/x', APP_ORIGIN)).toBe(false)
  })
})

describe('where the renderer comes from', () => {
  it('is app://candlework/ in a packaged app, whatever ELECTRON_RENDERER_URL says', () => {
    const loc = rendererLocation({ isPackaged: true, devUrl: 'http://localhost:5173/' })
    expect(loc).toMatchObject({ url: 'app://candlework/index.html', origin: 'app://candlework', dev: false })
    expect(loc.isTrusted('http://localhost:5173/')).toBe(false)
  })

  it('is the dev server only when unpackaged and the server is on loopback', () => {
    const dev = rendererLocation({ isPackaged: false, devUrl: 'http://localhost:5173/' })
    expect(dev).toMatchObject({ url: 'http://localhost:5173/', origin: 'http://localhost:5173', dev: true })
    expect(dev.isTrusted('http://localhost:5173/src/main.tsx')).toBe(true)
    expect(dev.isTrusted('http://localhost:5174/')).toBe(false)
    expect(dev.isTrusted('app://candlework/index.html')).toBe(false)

    for (const devUrl of [
      'https://evil.example/',
      'http://127.evil.example:5173/',
      'file:///tmp/index.html',
    ]) {
      expect(rendererLocation({ isPackaged: false, devUrl }).url).toBe('app://candlework/index.html')
    }
    expect(rendererLocation({ isPackaged: false }).url).toBe('app://candlework/index.html')
  })

  it('trusts exactly the app:// origin: not file://, not another app:// host', () => {
    const loc = rendererLocation({ isPackaged: false })
    expect(loc.isTrusted('app://candlework/index.html')).toBe(true)
    expect(loc.isTrusted('app://candlework/index.html#/trade')).toBe(true)
    for (const url of [
      'file:///opt/candlework/out/renderer/index.html',
      'app://candlework.evil/index.html',
      'app://other/index.html',
      'app://x@candlework/index.html',
      'https://candlework/index.html',
      'about:blank',
    ]) {
      expect(loc.isTrusted(url), url).toBe(false)
    }
  })
})
