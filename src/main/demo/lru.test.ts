import { describe, expect, it } from 'vitest'
import { Lru } from './lru'

describe('Lru', () => {
  it('evicts the least recently used entry and hands it back', () => {
    const lru = new Lru<string, number>(2)
    expect(lru.set('a', 1)).toBeUndefined()
    expect(lru.set('b', 2)).toBeUndefined()
    expect(lru.get('a')).toBe(1) // 'b' is now the oldest
    expect(lru.set('c', 3)).toBe(2)
    expect(lru.get('b')).toBeUndefined()
    expect(lru.get('a')).toBe(1)
    expect(lru.get('c')).toBe(3)
    expect(lru.size).toBe(2)
  })

  it('replaces an existing key without evicting', () => {
    const lru = new Lru<string, number>(2)
    lru.set('a', 1)
    lru.set('b', 2)
    expect(lru.set('a', 10)).toBeUndefined()
    expect(lru.get('a')).toBe(10)
    expect(lru.get('b')).toBe(2)
  })
})
