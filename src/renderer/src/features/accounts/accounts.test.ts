import { describe, expect, it } from 'vitest'
import { logoHue, logoText, searchExchanges } from './exchange-badge'
import { readStartingRows } from './starting-rows'

describe('starting balances as typed', () => {
  it('reads amounts in the trader’s locale into exact decimal strings, never scaled', () => {
    for (const locale of ['en-US', 'de-DE', 'fr-FR']) {
      expect(
        readStartingRows(
          [
            { asset: 'usdt', amount: '10000' },
            { asset: 'BTC', amount: '0,5' },
            { asset: ' eth ', amount: '0.125' },
          ],
          locale,
        ),
        locale,
      ).toEqual({
        ok: true,
        value: [
          { asset: 'USDT', amount: '10000' },
          { asset: 'BTC', amount: '0.5' },
          { asset: 'ETH', amount: '0.125' },
        ],
      })
    }
    expect(readStartingRows([{ asset: 'USDT', amount: '10 000,25' }], 'fr-FR')).toEqual({
      ok: true,
      value: [{ asset: 'USDT', amount: '10000.25' }],
    })
  })

  it('says what is wrong on the row it is wrong on', () => {
    const rows = readStartingRows(
      [
        { asset: 'USDT', amount: '1,234' },
        { asset: 'BTC', amount: '' },
        { asset: '', amount: '5' },
        { asset: 'US DT', amount: '1' },
      ],
      'en-US',
    )
    expect(rows).toEqual({
      ok: false,
      errors: {
        0: 'USDT: Ambiguous: write 1234 or 1.234',
        1: 'Enter the BTC amount',
        2: 'Enter the asset, e.g. USDT',
        3: 'US DT: an asset code is letters and digits, e.g. USDT or BTC',
      },
    })
    expect(
      readStartingRows(
        [
          { asset: 'USDT', amount: '1' },
          { asset: 'usdt', amount: '2' },
        ],
        'en-US',
      ),
    ).toEqual({ ok: false, errors: { 1: 'USDT is listed twice' } })
  })

  it('skips empty rows, and wants something to trade with', () => {
    expect(readStartingRows([{ asset: '', amount: '' }], 'en-US')).toEqual({
      ok: false,
      errors: { 0: 'Enter at least one starting balance' },
    })
    expect(readStartingRows([{ asset: 'USDT', amount: '0' }], 'en-US')).toEqual({
      ok: false,
      errors: { 0: 'At least one starting balance must be above zero' },
    })
    expect(
      readStartingRows(
        [
          { asset: 'USDT', amount: '5' },
          { asset: '', amount: '' },
        ],
        'en-US',
      ),
    ).toEqual({ ok: true, value: [{ asset: 'USDT', amount: '5' }] })
  })
})

describe('the exchange picker', () => {
  it('marks each exchange with a short text from its name', () => {
    expect(logoText('OKX')).toBe('OKX')
    expect(logoText('HTX')).toBe('HTX')
    expect(logoText('KuCoin')).toBe('KC')
    expect(logoText('Binance US')).toBe('BU')
    expect(logoText('Coinbase Advanced')).toBe('CA')
    expect(logoText('Binance')).toBe('Bi')
    expect(logoText('OKX (US)')).toBe('OKX')
    expect(logoText('Binance USDⓈ-M')).toBe('BU')
    expect(logoHue('okx')).toBe(logoHue('okx'))
    expect(logoHue('okx')).not.toBe(logoHue('kucoin'))
  })

  it('finds exchanges by name or id, best matches first', () => {
    const all = [
      { id: 'kucoin', name: 'KuCoin' },
      { id: 'okx', name: 'OKX' },
      { id: 'okxus', name: 'OKX (US)' },
      { id: 'myokx', name: 'MyOKX (EEA)' },
      { id: 'coinbase', name: 'Coinbase Advanced' },
      { id: 'binanceus', name: 'Binance US' },
      { id: 'binance', name: 'Binance' },
    ]
    expect(searchExchanges(all, 'okx').map((x) => x.id)).toEqual(['okx', 'okxus', 'myokx'])
    expect(searchExchanges(all, 'coin').map((x) => x.id)).toEqual(['coinbase', 'kucoin'])
    expect(searchExchanges(all, 'US').map((x) => x.id)).toEqual(['binanceus', 'okxus'])
    expect(searchExchanges(all, '').map((x) => x.name)).toEqual([
      'Binance',
      'Binance US',
      'Coinbase Advanced',
      'KuCoin',
      'MyOKX (EEA)',
      'OKX',
      'OKX (US)',
    ])
    expect(searchExchanges(all, 'zzz')).toEqual([])
  })
})
