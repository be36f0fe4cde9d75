import { describe, expect, it } from 'vitest'
import { takeAccessToken, tokenInFragment, TOKEN_STORAGE_KEY, type TokenPlace } from './access-token'

const TOKEN = 'ab'.repeat(32)

/** A tab: its address, its history entry and its sessionStorage. */
function tab(url: string, stored: Record<string, string> = {}) {
  const address = new URL(url)
  const storage = new Map(Object.entries(stored))
  const replaced: string[] = []
  const place: TokenPlace = {
    location: address,
    history: {
      state: { some: 'state' },
      replaceState: (_data, _unused, next) => {
        replaced.push(next)
        address.href = new URL(next, address).href
      },
    },
    storage: {
      getItem: (k) => storage.get(k) ?? null,
      setItem: (k, v) => void storage.set(k, v),
    },
  }
  return { place, address, storage, replaced }
}

describe('takeAccessToken', () => {
  it('takes the token from the fragment, keeps it for the tab and clears it from the address', () => {
    const t = tab(`http://127.0.0.1:5170/#token=${TOKEN}`)
    expect(takeAccessToken(t.place)).toBe(TOKEN)
    expect(t.storage.get(TOKEN_STORAGE_KEY)).toBe(TOKEN)
    expect(t.replaced).toEqual(['/'])
    expect(t.address.href).toBe('http://127.0.0.1:5170/')
  })

  it('keeps the path and query of the address, only the fragment goes', () => {
    const t = tab(`http://127.0.0.1:5170/trade?x=1#token=${TOKEN}`)
    expect(takeAccessToken(t.place)).toBe(TOKEN)
    expect(t.address.href).toBe('http://127.0.0.1:5170/trade?x=1')
  })

  it('after a reload (no fragment) uses the token the tab kept', () => {
    const t = tab('http://127.0.0.1:5170/', { [TOKEN_STORAGE_KEY]: TOKEN })
    expect(takeAccessToken(t.place)).toBe(TOKEN)
    expect(t.replaced).toEqual([])
  })

  it('a new token in the fragment replaces the kept one', () => {
    const next = 'cd'.repeat(32)
    const t = tab(`http://127.0.0.1:5170/#token=${next}`, { [TOKEN_STORAGE_KEY]: TOKEN })
    expect(takeAccessToken(t.place)).toBe(next)
  })

  it('has none without a fragment or a kept token, and clears a fragment holding garbage', () => {
    expect(takeAccessToken(tab('http://127.0.0.1:5170/').place)).toBeNull()
    const t = tab('http://127.0.0.1:5170/#token=not-a-token')
    expect(takeAccessToken(t.place)).toBeNull()
    expect(t.address.hash).toBe('')
    expect(t.storage.size).toBe(0)
  })
})

describe('tokenInFragment', () => {
  it('tells "no token here" from "a token that is not one"', () => {
    expect(tokenInFragment('')).toBeUndefined()
    expect(tokenInFragment('#section')).toBeUndefined()
    expect(tokenInFragment(`#token=${TOKEN}`)).toBe(TOKEN)
    expect(tokenInFragment('#token=')).toBeNull()
    expect(tokenInFragment(`#token=${TOKEN.toUpperCase()}`)).toBeNull()
  })
})
