import { describe, expect, it } from 'vitest'
import { EXTERNAL_HOSTS, isAllowedExternalUrl } from '../../src/main/desktop/external-links'

describe('links the app may open in the browser', () => {
  it.each([
    'https://binance.com/',
    'https://www.binance.com/en/my/settings/api-management',
    'https://accounts.binance.com/x?y=1#z',
    'https://www.kraken.com/',
    'https://BYBIT.com/',
    'https://www.tradingview.com/lightweight-charts/',
  ])('opens %s', (url) => {
    expect(isAllowedExternalUrl(url)).toBe(true)
  })

  it.each([
    ['plain http', 'http://www.binance.com/'],
    ['a look-alike suffix', 'https://evilbinance.com/'],
    ['the host as a subdomain of another', 'https://binance.com.evil.example/'],
    ['a host not on the list', 'https://example.com/'],
    ['credentials in the URL', 'https://binance.com@evil.example/'],
    ['a user name on an allowed host', 'https://user@binance.com/'],
    ['an unusual port', 'https://binance.com:8443/'],
    ['file:', 'file:///etc/passwd'],
    ['smb:', 'smb://binance.com/share'],
    ['javascript:', 'javascript:alert(1)'],
    ['a custom protocol handler', 'ms-settings:privacy'],
    ['not a URL', 'binance.com'],
    ['the trailing-dot form', 'https://binance.com./'],
  ])('refuses %s', (_why, url) => {
    expect(isAllowedExternalUrl(url)).toBe(false)
  })

  it('is a short explicit list of exchanges plus the chart library attribution', () => {
    expect(EXTERNAL_HOSTS).toEqual([
      'binance.com',
      'coinbase.com',
      'kraken.com',
      'okx.com',
      'bybit.com',
      'kucoin.com',
      'bitfinex.com',
      'tradingview.com',
    ])
  })
})
