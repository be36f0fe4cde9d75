/** The trade importer's CSV reader splits records as csv-parse does and knows where each starts. */
import { parse } from 'csv-parse/sync'
import { stringify } from 'csv-stringify/sync'
import { describe, expect, it } from 'vitest'
import { readCsvRecords } from '../../src/main/import-trades/csv-records'

const CELLS = [
  '',
  'plain',
  'a,b',
  'a;b',
  'say "hi"',
  'two\nlines',
  'crlf\r\nin',
  '"',
  ',',
  ' spaced ',
  'ünï€ode',
  '65,100.5',
]

describe('readCsvRecords', () => {
  it.each([',', ';', '\t', '|'])(
    'reads quoted and unquoted fields, doubled quotes and line breaks in quotes as csv-parse does (%j)',
    (delimiter) => {
      let seed = 7
      const next = (k: number): number => {
        seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31
        return seed % k
      }
      // A record of empty fields only is a blank line to this reader (skipped), so each row has text.
      const rows = Array.from({ length: 300 }, () => [
        'x',
        ...Array.from({ length: 4 }, () => CELLS[next(CELLS.length)]!),
      ])
      // Quoting chosen per file: only where needed (as most tools write), or every field (as Binance does).
      for (const quoted of [false, true]) {
        const eol = next(2) ? '\r\n' : '\n'
        const text = stringify([['h1', 'h2', 'h3', 'h4', 'h5'], ...rows], {
          delimiter,
          record_delimiter: eol,
          quoted,
        })
        const read = readCsvRecords(text, delimiter)
        if (!read.ok) throw new Error(read.message)
        const expected = parse(text, { delimiter, info: true, relax_column_count: true }) as unknown as {
          record: string[]
          info: { lines: number }
        }[]
        expect(read.records.map((r) => r.fields)).toEqual(expected.map((e) => e.record))
        // Each record starts on the line after where the one before it ended.
        const starts = [1, ...expected.slice(0, -1).map((e) => e.info.lines + 1)]
        expect(read.records.map((r) => r.line)).toEqual(starts)
      }
    },
  )

  it('points at a quote never closed', () => {
    const read = readCsvRecords('a,b\n1,2\n3,"open\n4,5\n', ',')
    expect(read).toEqual({ ok: false, line: 3, column: 3, message: 'a quote opened here is never closed' })
  })
})
