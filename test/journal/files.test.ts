/** The Journal view's import (chunks, preview, commit) and export columns, on a real engine. */
import { describe, expect, it } from 'vitest'
import { contract, type CommandName, type ResultOf } from '../../src/shared/contract'
import { IMPORT_CHUNK_CHARS } from '../../src/shared/contract/journal-files'
import { createEngine, type Engine } from '../../src/main/engine'
import { silentLogger } from '../../src/main/log'
import { useTempDirs } from '../support/temp-dir'

const tempDir = useTempDirs()
const ctx = { transport: 'memory', peer: 'test' } as const

async function call<N extends CommandName>(engine: Engine, name: N, params: unknown): Promise<ResultOf<N>> {
  const res = await engine.registry.invoke(name, params, ctx)
  if (!res.ok) throw new Error(`${name}: ${res.error.message} (${res.error.path ?? ''})`)
  return (contract[name] as unknown as { result: { parse(v: unknown): ResultOf<N> } }).result.parse(res.value)
}

async function upload(engine: Engine, id: string, text: string): Promise<void> {
  for (let seq = 0, at = 0; at < text.length || seq === 0; seq++, at += IMPORT_CHUNK_CHARS)
    await call(engine, 'journal.importChunk', {
      uploadId: id,
      seq,
      data: text.slice(at, at + IMPORT_CHUNK_CHARS),
    })
}

const HEADER = 'Date(UTC),Pair,Side,Price,Executed,Amount,Fee'
const row = (min: number, side: string, price: string) =>
  `2024-03-01 12:${String(min).padStart(2, '0')}:00,BTCUSDT,${side},${price},0.01000000BTC,${price}USDT,0.01USDT`

describe('journal import from the view', () => {
  it('previews (count, duplicates, bad rows with line:column) without writing, then imports and journals', async () => {
    const engine = createEngine({ dataDir: tempDir(), host: 'headless', log: silentLogger })
    try {
      // Big enough to need several chunks.
      const rows = Array.from({ length: 4_000 }, (_, i) =>
        row(i % 60, i % 2 ? 'SELL' : 'BUY', String(60_000 + i)),
      )
      const text = [
        HEADER,
        ...rows,
        row(0, 'BUY', '60000'),
        '2024-03-01 13:00:00,BTCUSDT,HOLD,1,1BTC,1USDT,0USDT',
      ].join('\n')
      expect(text.length).toBeGreaterThan(IMPORT_CHUNK_CHARS)
      await upload(engine, 'upload-1', text)
      const params = { uploadId: 'upload-1', fileName: 'binance.csv', account: 'Binance history' }
      const preview = await call(engine, 'journal.importPreview', params)
      expect(preview).toMatchObject({
        format: 'binance',
        account: { id: null, name: 'Binance history', exists: false },
        rowsRead: 4_002,
        rowsValid: 4_001,
        rowsToWrite: 4_000,
        duplicateCount: 1,
        issueCount: 1,
        written: false,
      })
      expect(preview.duplicates[0]).toMatchObject({ line: 4_002, reason: 'same fill', of: 'line 2' })
      expect(preview.issues[0]).toEqual({
        line: 4_003,
        column: 29,
        field: 'Side',
        message: expect.stringMatching(/HOLD/),
      })
      expect((await call(engine, 'journal.list', {})).trades).toHaveLength(0)

      // A bad row writes nothing unless skipBad.
      const refused = await call(engine, 'journal.importCommit', params)
      expect(refused).toMatchObject({ written: false, rowsToWrite: 0 })
      const done = await call(engine, 'journal.importCommit', { ...params, skipBad: true })
      expect(done).toMatchObject({ written: true, rowsToWrite: 4_000, account: { exists: true } })
      const list = await call(engine, 'journal.list', { limit: 5 })
      expect(list.totals.count).toBeGreaterThan(0)
      expect(list.trades[0]!.accountName).toBe('Binance history')

      // The upload is gone after a commit; a paper account is refused by name.
      const gone = await engine.registry.invoke('journal.importPreview', params, ctx)
      expect(gone).toMatchObject({ ok: false, error: { kind: 'not_found', path: 'params.uploadId' } })
      await upload(engine, 'upload-2', [HEADER, row(0, 'BUY', '1')].join('\n'))
      const paper = await engine.registry.invoke(
        'journal.importPreview',
        { ...params, uploadId: 'upload-2', account: 'demo-paper' },
        ctx,
      )
      expect(paper).toMatchObject({ ok: false, error: { kind: 'validation', path: 'params.account' } })
      const broken = await engine.registry.invoke(
        'journal.importChunk',
        { uploadId: 'upload-2', seq: 5, data: 'x' },
        ctx,
      )
      expect(broken).toMatchObject({ ok: false, error: { path: 'params.seq' } })
      await upload(engine, 'upload-3', 'what,is,this\n1,2,3')
      const unknown = await engine.registry.invoke(
        'journal.importPreview',
        { ...params, uploadId: 'upload-3' },
        ctx,
      )
      expect(unknown).toMatchObject({
        ok: false,
        error: { kind: 'validation', message: expect.stringMatching(/^binance.csv:1:1: the header/) },
      })
    } finally {
      await engine.close()
    }
  })

  it('lists the columns of each export kind with the default set marked', async () => {
    const engine = createEngine({ dataDir: tempDir(), host: 'headless', log: silentLogger })
    try {
      const cols = await call(engine, 'journal.exportColumns', {})
      expect(cols.trades.filter((c) => c.default).map((c) => c.name)).toContain('fills')
      expect(cols.fills[0]).toMatchObject({ name: 'time', kind: 'time', default: true })
      expect(cols.orders.length).toBeGreaterThan(10)
    } finally {
      await engine.close()
    }
  })
})
