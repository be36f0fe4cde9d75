import { describe, expect, it } from 'vitest'
import { createEngine } from '../../src/main/engine'
import { silentLogger } from '../../src/main/log'
import { databaseFile } from '../../src/main/paths'
import { closeDatabase, openDatabase } from '../../src/main/storage/database'
import { deleteDrawing, listDrawings, saveDrawing } from '../../src/main/drawings/store'
import { MAX_DRAWINGS_PER_SERIES, type Drawing } from '../../src/shared/contract/drawings'
import { useTempDirs } from '../support/temp-dir'

const tempDir = useTempDirs()
const ctx = { transport: 'memory', peer: 'test' } as const
const btc = { source: 'demo', symbol: 'BTC/USDT' }
const eth = { source: 'demo', symbol: 'ETH/USDT' }
const t0 = Date.UTC(2026, 11, 1)
const hline: Drawing = { id: 'h1', kind: 'hline', points: [{ time: t0, price: 43250.5 }] }
const trend: Drawing = {
  id: 't1',
  kind: 'trend',
  points: [
    { time: t0, price: 42000 },
    { time: t0 + 3_600_000, price: 43000 },
  ],
}
const note: Drawing = { id: 'n1', kind: 'note', points: [{ time: t0, price: 41000 }], text: 'breakout?' }

describe('drawings store', () => {
  it('keeps drawings per series across a reopen: saved, replaced by id, deleted', () => {
    const file = databaseFile(tempDir())
    let db = openDatabase(file)
    try {
      saveDrawing(db, btc, hline, 1)
      saveDrawing(db, btc, trend, 2)
      saveDrawing(db, eth, note, 3)
      const moved: Drawing = { ...trend, points: [trend.points[0], { time: t0 + 7_200_000, price: 44000 }] }
      saveDrawing(db, btc, moved, 4)
      // Another series may not take a drawing over by its id.
      expect(() => saveDrawing(db, eth, { ...hline }, 5)).toThrow(/belongs to BTC\/USDT/)
      closeDatabase(db)
      db = openDatabase(file)
      expect(listDrawings(db, btc)).toEqual([hline, moved])
      expect(listDrawings(db, eth)).toEqual([note])
      expect(deleteDrawing(db, btc, 'h1')).toBe(true)
      expect(deleteDrawing(db, btc, 'h1')).toBe(false)
      // An undone delete saves the same drawing back.
      saveDrawing(db, btc, hline, 6)
      expect(listDrawings(db, btc).map((d) => d.id)).toEqual(['t1', 'h1'])
    } finally {
      closeDatabase(db)
    }
  })

  it('stops at the most drawings a series keeps, naming the field', () => {
    const db = openDatabase(databaseFile(tempDir()))
    try {
      db.transaction(() => {
        for (let i = 0; i < MAX_DRAWINGS_PER_SERIES; i++) saveDrawing(db, btc, { ...hline, id: `h${i}` }, i)
      })()
      expect(() => saveDrawing(db, btc, { ...hline, id: 'one-more' }, 0)).toThrow(/1000 drawings/)
      // Replacing one is still fine.
      expect(saveDrawing(db, btc, { ...hline, id: 'h0' }, 0).id).toBe('h0')
    } finally {
      closeDatabase(db)
    }
  })

  it('are commands: bad input is a validation error naming the field, nothing half-written', async () => {
    const engine = createEngine({ dataDir: tempDir(), host: 'headless', log: silentLogger })
    const r = engine.registry
    try {
      expect(await r.invoke('drawings.save', { ...btc, drawing: trend }, ctx)).toEqual({
        ok: true,
        value: trend,
      })
      const bad = async (drawing: unknown) => r.invoke('drawings.save', { ...btc, drawing } as never, ctx)
      expect(await bad({ ...trend, points: [trend.points[0]] })).toMatchObject({
        ok: false,
        error: { kind: 'validation', path: expect.stringMatching(/^params\.drawing\.points/) },
      })
      expect(await bad({ ...hline, points: [{ time: t0, price: Number.POSITIVE_INFINITY }] })).toMatchObject({
        ok: false,
        error: { kind: 'validation', path: 'params.drawing.points[0].price' },
      })
      expect(await bad({ ...note, text: '   ' })).toMatchObject({
        ok: false,
        error: {
          kind: 'validation',
          path: 'params.drawing.text',
          message: expect.stringMatching(/needs text/),
        },
      })
      expect(await bad({ ...hline, kind: 'circle' })).toMatchObject({
        ok: false,
        error: { kind: 'validation', path: 'params.drawing.kind' },
      })
      expect(await bad({ ...hline, id: 'a b' })).toMatchObject({
        ok: false,
        error: { kind: 'validation', path: 'params.drawing.id' },
      })
      const listed = await r.invoke('drawings.list', btc, ctx)
      expect(listed).toEqual({ ok: true, value: [trend] })
      expect(await r.invoke('drawings.delete', { ...btc, id: 't1' }, ctx)).toEqual({
        ok: true,
        value: { deleted: true },
      })
      expect(await r.invoke('drawings.list', btc, ctx)).toEqual({ ok: true, value: [] })
    } finally {
      await engine.close()
    }
  })
})
