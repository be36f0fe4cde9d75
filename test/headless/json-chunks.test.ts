import { describe, expect, it } from 'vitest'
import { estimateJsonBytes, jsonPieces } from '../../src/main/headless/json-chunks'

const joined = (v: unknown) => [...jsonPieces(v)].join('')

describe('JSON in pieces', () => {
  it.each<[string, unknown]>([
    ['primitives', [0, -1.5, 1e21, 5e-324, 'a', '', true, false, null]],
    ['non-finite numbers (null in JSON)', [NaN, Infinity, -Infinity]],
    [
      'undefined, functions and symbols',
      { a: undefined, b: () => 1, c: Symbol('x'), d: [undefined, () => 1], e: 1 },
    ],
    ['strings that need escaping', ['"\\\n\t\u0000', 'emoji 📈', 'lone \ud800 surrogate', '</script>']],
    ['empty containers', { a: {}, b: [], c: [[]], d: [{}] }],
    ['nested objects and arrays', { a: [{ b: [1, { c: [null, 'x'] }] }, [2, [3]]], 'key "q"': 1 }],
    [
      'toJSON',
      { at: new Date(0), custom: { toJSON: (k: string) => `key ${k}` }, list: [{ toJSON: () => undefined }] },
    ],
    ['class instances and typed arrays', { m: new Map([[1, 2]]), f: new Float64Array([1, 2]) }],
    ['numeric-looking keys (JSON orders them first)', { b: 1, 2: 'two', a: 3, 1: 'one' }],
  ])('equal JSON.stringify for %s', (_, value) => {
    expect(joined(value)).toBe(JSON.stringify(value))
  })

  it('writes a 100,000-bar answer in many pieces, each small, together equal to JSON.stringify', () => {
    const n = 100_000
    const time = Array.from({ length: n }, (_, i) => 1_700_000_000_000 + i * 60_000)
    const values = Array.from({ length: n }, (_, i) => (i < 20 ? null : Math.sin(i) * 1000))
    const answer = {
      type: 'result',
      id: 7,
      result: {
        ok: true,
        value: { time, instances: [{ id: 'sma', outputs: [{ name: 'value', values, before: [] }] }] },
      },
    }
    const pieces = [...jsonPieces(answer)]
    expect(pieces.join('')).toBe(JSON.stringify(answer))
    expect(pieces.length).toBeGreaterThan(20)
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(400_000)
  })

  it('estimates the size of column answers within a factor of two', () => {
    const n = 50_000
    const cols = {
      time: Array.from({ length: n }, (_, i) => 1_700_000_000_000 + i * 60_000),
      close: Array.from({ length: n }, (_, i) => 30_000 + Math.sin(i) * 500),
      rows: Array.from({ length: 500 }, (_, i) => ({ id: `order-${i}`, amount: i / 7, open: i % 2 === 0 })),
    }
    const actual = JSON.stringify(cols).length
    const estimate = estimateJsonBytes(cols)
    expect(estimate).toBeGreaterThan(actual / 2)
    expect(estimate).toBeLessThan(actual * 2)
  })
})
