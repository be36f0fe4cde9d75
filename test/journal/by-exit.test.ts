import { describe, expect, it } from 'vitest'
import type { JournalTrade } from '../../src/shared/contract/journal'
import { byExit } from '../../src/main/journal/analytics'

/** Only what the order reads: exit time and key. */
const t = (exitTime: number, key: string) => ({ exitTime, key }) as JournalTrade
const reference = (ts: JournalTrade[]) =>
  ts.slice().sort((a, b) => a.exitTime! - b.exitTime! || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))

describe('closed trades in order of exit, then key', () => {
  let seed = 11
  const rnd = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31

  it('the packed native sort gives the comparator sort’s order, ties in key order', () => {
    // 5,000 trades over a day, many exiting in the same millisecond.
    const ts = Array.from({ length: 5_000 }, (_, i) =>
      t(1_700_000_000_000 + Math.floor(rnd() * 2_000) * 1_000, `k${Math.floor(rnd() * 1e6)}-${i}`),
    )
    expect(byExit(ts.slice())).toEqual(reference(ts))
  })

  it('over a span too wide to pack, the comparator sort itself', () => {
    // (range + 1) × count >= 2^53: 1,000 trades over ~300,000 years.
    const ts = Array.from({ length: 1_000 }, (_, i) => t(Math.floor(rnd() * 1e16) - 5e15, `k${i % 7}`))
    expect(byExit(ts.slice())).toEqual(reference(ts))
    expect(byExit([])).toEqual([])
    expect(byExit([t(5, 'a')])).toEqual([t(5, 'a')])
  })
})
