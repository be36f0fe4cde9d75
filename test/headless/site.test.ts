import { describe, expect, it } from 'vitest'
import { asHostName, hostAllowed, originAllowed, siteFor, wsOrigins } from '../../src/main/headless/site'

describe('site', () => {
  const site = siteFor({ scheme: 'http', port: 5170, requestedHost: '127.0.0.1', boundAddress: '127.0.0.1' })

  it('answers to the loopback names with its port only', () => {
    for (const h of ['127.0.0.1:5170', 'localhost:5170', '[::1]:5170', 'LOCALHOST:5170']) {
      expect(hostAllowed(site, h), h).toBe(true)
    }
    for (const h of [
      '127.0.0.1',
      '127.0.0.1:5171',
      'evil.example:5170',
      '127.0.0.2:5170',
      'a@127.0.0.1:5170',
      '',
    ]) {
      expect(hostAllowed(site, h), h).toBe(false)
    }
    expect(hostAllowed(site, undefined)).toBe(false)
  })

  it('takes an origin as its own only with the same scheme, name and port', () => {
    expect(originAllowed(site, 'http://127.0.0.1:5170')).toBe(true)
    expect(originAllowed(site, 'http://localhost:5170')).toBe(true)
    for (const o of [
      'https://127.0.0.1:5170',
      'http://127.0.0.1:5171',
      'null',
      'file://',
      'http://evil.example:5170',
    ]) {
      expect(originAllowed(site, o), o).toBe(false)
    }
  })

  it('names its WebSocket origins for the CSP, default ports left out', () => {
    // No IPv6 literal: CSP cannot spell one, and Chromium would drop it with a console error.
    expect(wsOrigins(site).sort()).toEqual(['ws://127.0.0.1:5170', 'ws://localhost:5170'])
    const tls = siteFor({
      scheme: 'https',
      port: 443,
      requestedHost: 'trading.lan',
      boundAddress: '10.0.0.5',
    })
    expect(wsOrigins(tls)).toContain('wss://trading.lan')
    expect(hostAllowed(tls, 'trading.lan')).toBe(true)
    expect(hostAllowed(tls, '10.0.0.5:443')).toBe(true)
    expect(asHostName('::1')).toBe('[::1]')
  })
})
