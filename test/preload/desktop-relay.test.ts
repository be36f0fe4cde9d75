import { describe, expect, it } from 'vitest'
import { createDesktopRelay } from '../../src/shared/rpc/desktop-relay'

/** The preload's relay of main's desktop messages (src/preload/index.ts wires it to ipcRenderer). */
describe("the preload's desktop messages", () => {
  it('hands a checked message to every listener until it unsubscribes, and drops anything else', () => {
    const relay = createDesktopRelay()
    const heard: unknown[] = []
    const off = relay.on((m) => heard.push(m))
    relay.on(() => {
      throw new Error('a page listener failing')
    })
    const series = { source: 'demo', symbol: 'BTC/USDT', timeframe: '1h' }
    expect(relay.receive({ type: 'openChart', series })).toBe(true)
    expect(relay.receive({ type: 'openAlerts' })).toBe(true)
    // Not the contract's shape: an unknown type, a timeframe that is not one, extra fields, junk.
    expect(relay.receive({ type: 'runScript', code: 'x' })).toBe(false)
    expect(relay.receive({ type: 'openChart', series: { ...series, timeframe: '7m' } })).toBe(false)
    expect(relay.receive({ type: 'openAlerts', url: 'https://evil.example' })).toBe(false)
    expect(relay.receive('openAlerts')).toBe(false)
    expect(heard).toEqual([{ type: 'openChart', series }, { type: 'openAlerts' }])
    off()
    relay.receive({ type: 'openAlerts' })
    expect(heard).toHaveLength(2)
  })
})
