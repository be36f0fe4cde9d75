import { describe, expect, it } from 'vitest'
import {
  BLOCK_FORMAT_VERSION,
  BlockFormatError,
  decodeBlock,
  mergeIntoBlock,
} from '../../src/main/storage/candles/block-format'

const bar = (time: number, v: number) => ({
  time,
  open: v,
  high: v + 1,
  low: v - 1,
  close: v + 0.5,
  volume: v * 10,
})

describe('candle block layout', () => {
  it('is a version byte, a bar count, then six Float64 columns, little-endian', () => {
    const { data } = mergeIntoBlock(null, [bar(1000, 7), bar(2000, 8)], 0, 2)
    expect(data.length).toBe(8 + 6 * 8 * 2)
    expect([...data.subarray(0, 8)]).toEqual([BLOCK_FORMAT_VERSION, 0, 0, 0, 2, 0, 0, 0])
    const columns = Array.from({ length: 12 }, (_, i) => data.readDoubleLE(8 + 8 * i))
    // time, open, high, low, close, volume; two bars each.
    expect(columns).toEqual([1000, 2000, 7, 8, 8, 9, 6, 7, 7.5, 8.5, 70, 80])
  })

  it('reads a blob that does not start on an 8-byte boundary by copying it', () => {
    const { data } = mergeIntoBlock(null, [bar(1000, 7), bar(2000, 8)], 0, 2)
    const shifted = Buffer.alloc(data.length + 3)
    data.copy(shifted, 3)
    const block = decodeBlock(shifted.subarray(3))
    expect(block.count).toBe(2)
    expect([...block.values]).toEqual([1000, 2000, 7, 8, 8, 9, 6, 7, 7.5, 8.5, 70, 80])
  })

  it('merges into a stored block: incoming bars replace those with the same time', () => {
    const stored = mergeIntoBlock(null, [bar(1, 1), bar(3, 3), bar(5, 5)], 0, 3).block
    const merged = mergeIntoBlock(stored, [bar(0, 10), bar(3, 30), bar(4, 40), bar(9, 90)], 0, 4).block
    expect(merged.count).toBe(6)
    expect([...merged.values.subarray(0, 6)]).toEqual([0, 1, 3, 4, 5, 9])
    expect([...merged.values.subarray(6, 12)]).toEqual([10, 1, 30, 40, 5, 90])
  })

  it('refuses a blob from another format version or with the wrong length', () => {
    const { data } = mergeIntoBlock(null, [bar(1000, 7)], 0, 1)
    const newer = Buffer.from(data)
    newer[0] = 2
    expect(() => decodeBlock(newer)).toThrow(BlockFormatError)
    expect(() => decodeBlock(newer)).toThrow(/format version 2/)
    expect(() => decodeBlock(data.subarray(0, data.length - 8))).toThrow(/says 1 bars but holds 48 bytes/)
    expect(() => decodeBlock(Buffer.alloc(4))).toThrow(/too short/)
  })
})
