import { describe, expect, it } from 'vitest'
import { backoffDelay } from './backoff'

describe('backoffDelay', () => {
  const feed = { baseMs: 500, maxMs: 30_000 }

  it('waits base after the first failure, doubling after each one more, up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 50].map((n) => backoffDelay(n, feed))).toEqual([
      500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000,
    ])
    // No failure yet counts as the first (never shorter than base).
    expect(backoffDelay(0, feed)).toBe(500)
  })

  it('waits at least what the server asked, even past the cap', () => {
    expect(backoffDelay(1, feed, { retryAfterMs: 5_000 })).toBe(5_000)
    expect(backoffDelay(4, feed, { retryAfterMs: 1_000 })).toBe(4_000)
    expect(backoffDelay(1, feed, { retryAfterMs: 0 })).toBe(500)
    expect(backoffDelay(8, feed, { retryAfterMs: 120_000 })).toBe(120_000)
  })

  it('has no cap with an infinite one', () => {
    expect(backoffDelay(20, { baseMs: 500, maxMs: Infinity })).toBe(500 * 2 ** 19)
  })

  it('moves each wait by at most the jitter share either way, never above the cap', () => {
    const link = { baseMs: 500, maxMs: 15_000, jitter: 0.2 }
    expect(backoffDelay(1, link, { random: () => 0.5 })).toBe(500)
    expect(backoffDelay(1, link, { random: () => 0 })).toBe(400)
    expect(backoffDelay(1, link, { random: () => 0.999999 })).toBe(600)
    expect(backoffDelay(4, link, { random: () => 0 })).toBe(3_200)
    expect(backoffDelay(11, link, { random: () => 0.999999 })).toBe(15_000)
    expect(backoffDelay(11, link, { random: () => 0 })).toBe(12_000)
  })
})
