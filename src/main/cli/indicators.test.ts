/**
 * The indicators command on TA-Lib's 252-bar dataset (a file without times, so `time` is the
 * row index), compared with TA-Lib's full-precision series read from
 * ../shared/reference/talib_full_ref252.json.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { INDICATORS } from '../indicators'
import { TALIB_CSV, expectSeries, talibFull } from '../../../test/support/indicators/reference-data'
import { readShared, sharedPath } from '../../../test/support/shared'
import { memoryIo } from './io'
import { indicatorsCommand } from './indicators'

const TALIB_FILE = sharedPath(TALIB_CSV)
const tmp = mkdtempSync(join(tmpdir(), 'candlework-indicators-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo()
  const code = await indicatorsCommand(argv, io)
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') }
}

/** Minimal RFC 4180 line split (quoted fields may hold commas), for reading our CSV back. */
function splitCsvLine(line: string): string[] {
  const out: string[] = []
  let cur = ''
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"'
        i++
      } else if (ch === '"') quoted = false
      else cur += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') {
      out.push(cur)
      cur = ''
    } else cur += ch
  }
  out.push(cur)
  return out
}

describe('indicators command', () => {
  const full = talibFull()

  it('--json: columns named after the SPECs equal TA-Lib, null during warm-up, time = row index', async () => {
    const r = await run(
      '--file',
      TALIB_FILE,
      '--ind',
      'sma:30',
      '--ind',
      'macd:12,26,9',
      '--ind',
      'bbands',
      '--json',
    )
    expect(r.code).toBe(0)
    const doc = JSON.parse(r.out) as { time: number[]; series: Record<string, (number | null)[]> }
    expect(doc.time).toEqual(Array.from({ length: 252 }, (_, i) => i))
    expect(Object.keys(doc.series)).toEqual([
      'sma:30',
      'macd:12,26,9.macd',
      'macd:12,26,9.signal',
      'macd:12,26,9.histogram',
      'bbands.upper',
      'bbands.middle',
      'bbands.lower',
      'bbands.percentB',
      'bbands.bandwidth',
    ])
    const col = (name: string): Float64Array => Float64Array.from(doc.series[name]!, (v) => v ?? NaN)
    expectSeries(col('sma:30'), full.indicators.SMA_30!.values, 1e-9, 'sma:30')
    expectSeries(
      col('macd:12,26,9.signal'),
      full.indicators['MACD_12_26_9.signal']!.values,
      1e-9,
      'macd signal',
    )
    // bbands with default parameters is BBANDS(20, 2).
    expectSeries(col('bbands.upper'), full.indicators['BBANDS_20_2.upper']!.values, 1e-9, 'bbands upper')
    expect(doc.series['sma:30']![28]).toBeNull()
  })

  it('--out: CSV with a time column, empty warm-up cells, quoted SPEC headers', async () => {
    const out = join(tmp, 'out.csv')
    const r = await run('--file', TALIB_FILE, '--ind', 'stoch:14,3,3', '--ind', 'obv', '--out', out)
    expect(r.code).toBe(0)
    expect(r.out).toContain(`wrote 252 rows × 3 column(s) to ${out}`)
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n')
    expect(lines).toHaveLength(253)
    const header = splitCsvLine(lines[0]!)
    expect(header).toEqual(['time', 'stoch:14,3,3.k', 'stoch:14,3,3.d', 'obv'])
    const rows = lines.slice(1).map(splitCsvLine)
    expect(rows.map((r) => r[0])).toEqual(Array.from({ length: 252 }, (_, i) => String(i)))
    const k = Float64Array.from(rows, (r) => (r[1] === '' ? NaN : Number(r[1])))
    const obv = Float64Array.from(rows, (r) => (r[3] === '' ? NaN : Number(r[3])))
    expectSeries(k, full.indicators['STOCH_14_3_3.slowk']!.values, 1e-9, 'csv stoch k')
    expectSeries(obv, full.indicators.OBV!.values, 1e-9, 'csv obv')
    expect(rows[16]![1]).toBe('')
  })

  it('CSV on stdout by default; dated files get ISO 8601 UTC times', async () => {
    const file = join(tmp, 'dated.csv')
    writeFileSync(
      file,
      [
        'Date,Open,High,Low,Close,Volume',
        '2024-01-01,10,11,9,10,5',
        '2024-01-02,10,12,10,11,5',
        '2024-01-03,11,13,11,12,5',
      ].join('\n'),
    )
    const r = await run('--file', file, '--ind', 'sma:2')
    expect(r.code).toBe(0)
    expect(r.out.trimEnd().split('\n')).toEqual([
      'time,sma:2',
      '2024-01-01T00:00:00.000Z,',
      '2024-01-02T00:00:00.000Z,10.5',
      '2024-01-03T00:00:00.000Z,11.5',
    ])
  })

  it('--list shows every indicator with its parameters and outputs', async () => {
    const r = await run('--list')
    expect(r.code).toBe(0)
    for (const d of INDICATORS) {
      expect(r.out).toContain(d.title)
      for (const p of d.params) expect(r.out).toContain(`${p.name} = ${p.default}`)
      expect(r.out).toContain(`outputs: ${d.outputs.map((o) => o.name).join(', ')}`)
    }
    expect(r.out).toContain('macd:fast,slow,signal,seeding')
  })

  it.each([
    [['--ind', 'sma:0'], 'period must be an integer >= 1, got 0'],
    [['--ind', 'foo:3'], 'unknown indicator "foo"'],
    [['--ind', 'macd:12,x'], 'indicator spec "macd:12,x": slow must be a number, got "x"'],
    [['--ind', 'rsi:14,2'], 'rsi takes at most 1 parameter(s)'],
  ])('a bad SPEC %j exits 2 naming the spec and parameter', async (args, message) => {
    const r = await run('--file', TALIB_FILE, ...args)
    expect(r.code).toBe(2)
    expect(r.err).toContain(message)
  })

  it('usage errors exit 2', async () => {
    expect((await run('--ind', 'sma')).code).toBe(2)
    expect((await run('--file', TALIB_FILE)).code).toBe(2)
    expect((await run('--file', TALIB_FILE, '--ind', 'sma', '--json', '--out', 'x.csv')).code).toBe(2)
    expect((await run('--file', TALIB_FILE, '--ind', 'sma', '--ind', 'sma')).err).toContain('twice')
    expect((await run('--bogus')).code).toBe(2)
  })

  it('an unusable file or bad rows exit 1 with the file and line', async () => {
    const missing = await run('--file', join(tmp, 'nope.csv'), '--ind', 'sma')
    expect(missing.code).toBe(1)
    expect(missing.err).toContain('nope.csv')
    const bad = join(tmp, 'bad.csv')
    const lines = readShared(TALIB_CSV).split('\n')
    lines[6] = lines[6]!.replace(/,[^,]*$/, ',lots') // volume of the 6th bar
    writeFileSync(bad, lines.join('\n'))
    const r = await run('--file', bad, '--ind', 'sma')
    expect(r.code).toBe(1)
    expect(r.err).toMatch(/bad\.csv:7:\d+/)
  })

  it('warns when a column has no values because the file is shorter than the warm-up', async () => {
    const r = await run('--file', TALIB_FILE, '--ind', 'sma:300', '--json')
    expect(r.code).toBe(0)
    expect(r.err).toContain('sma:300 has no values')
  })
})
