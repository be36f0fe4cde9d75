/**
 * `indicators --file F [--ind SPEC]... [--out OUT.csv | --json] [--list]`
 *
 * Computes indicators over a candle file. SPEC is `name[:param,param...]` (see --list);
 * omitted parameters take their defaults. Each output becomes a column named after the SPEC
 * as given, with `.output` appended for indicators with several outputs
 * (`macd:12,26,9.signal`). CSV (to --out, or stdout) has a `time` column first, ISO 8601 UTC,
 * or the row index for files without times such as the TA-Lib dataset; warm-up cells are empty.
 * `--json` prints `{"time": [...], "series": {column: [...]}}` with times in ms since the epoch
 * (or row indexes) and null during warm-up.
 *
 * Exit codes: 0 done; 1 the file cannot be used or has bad rows; 2 usage errors, bad SPECs.
 */
import { writeFileSync } from 'node:fs'
import { AppError } from '../../shared/contract/errors'
import { CandleFileError, formatIssue, parseCandleFile } from '../importing/parse'
import { INDICATORS, candleSeries, parseSpec, specColumns, type IndicatorSpec } from '../indicators'
import { parseFlags, usageError, type CliCommand } from './io'

const USAGE = `Usage: npm run cli -- indicators --file F [--ind SPEC]... [--out OUT.csv | --json] [--list]

  --file F       CSV or JSON candle file (a file without times, like the TA-Lib dataset, is
                 numbered by row)
  --ind SPEC     indicator and parameters, e.g. sma:20, macd:12,26,9, bbands:20,2, stoch:14,3,3,
                 obv; repeat for several. Omitted parameters take their defaults
  --out OUT.csv  write CSV there (default: CSV on stdout)
  --json         print {"time": [...], "series": {column: [...]}} instead of CSV
  --list         list every indicator with its parameters and outputs`

const OPTIONS = {
  file: { type: 'string' },
  ind: { type: 'string', multiple: true },
  out: { type: 'string' },
  json: { type: 'boolean', default: false },
  list: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const

/** Issues shown before "... and N more". */
const MAX_ISSUES = 20

/** `--list`: one block per indicator, parameters in SPEC order. */
export function listText(): string {
  return INDICATORS.map((d) => {
    const params = d.params.map((p) =>
      p.kind === 'choice'
        ? `    ${p.name} = ${p.default}  (${p.choices.join(' | ')}) ${p.description}`
        : `    ${p.name} = ${p.default}  (${p.kind}, ${p.exclusiveMin ? '>' : '>='} ${p.min}) ${p.description}`,
    )
    const spec = d.params.length > 0 ? `${d.id}:${d.params.map((p) => p.name).join(',')}` : d.id
    return [
      `${spec}  ${d.title} [${d.pane}; inputs ${d.inputs.join(',')}]`,
      `  ${d.description}`,
      ...(params.length > 0 ? ['  parameters:', ...params] : []),
      `  outputs: ${d.outputs.map((o) => o.name).join(', ')}`,
    ].join('\n')
  }).join('\n\n')
}

/** RFC 4180: quote a field holding a comma, quote or line break (SPEC columns have commas). */
const csvField = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s)

const cell = (v: number): string => (Number.isNaN(v) ? '' : String(v))

function toCsv(times: string[], columns: string[], values: Float64Array[]): string {
  const lines = [['time', ...columns].map(csvField).join(',')]
  for (let i = 0; i < times.length; i++) {
    lines.push([times[i]!, ...values.map((col) => cell(col[i]!))].join(','))
  }
  return lines.join('\n') + '\n'
}

function toJson(times: number[], columns: string[], values: Float64Array[]): string {
  const series: Record<string, (number | null)[]> = {}
  columns.forEach((name, k) => {
    series[name] = Array.from(values[k]!, (v) => (Number.isNaN(v) ? null : v))
  })
  return JSON.stringify({ time: times, series })
}

export const indicatorsCommand: CliCommand = async (argv, io) => {
  const flags = parseFlags('indicators', USAGE, argv, OPTIONS, io)
  if (!flags.ok) return flags.exit
  const { values } = flags
  if (values.list) {
    io.out(listText())
    return 0
  }
  if (!values.file) return usageError(io, 'indicators', USAGE, '--file is required')
  const texts = values.ind ?? []
  if (texts.length === 0)
    return usageError(io, 'indicators', USAGE, 'give at least one --ind SPEC (see --list)')
  if (values.out && values.json)
    return usageError(io, 'indicators', USAGE, '--out and --json exclude each other')

  // Every SPEC is checked before the file is read.
  const specs: IndicatorSpec[] = []
  for (const text of texts) {
    try {
      specs.push(parseSpec(text))
    } catch (err) {
      if (err instanceof AppError) {
        io.err(`indicators: ${err.message}`)
        return 2
      }
      throw err
    }
  }
  const columns = specs.flatMap(specColumns)
  const duplicate = columns.find((c, i) => columns.indexOf(c) !== i)
  if (duplicate)
    return usageError(io, 'indicators', USAGE, `column ${duplicate} would appear twice; give each --ind once`)

  let parsed
  try {
    parsed = parseCandleFile(values.file, { allowMissingTime: true })
  } catch (err) {
    if (err instanceof CandleFileError) {
      io.err(`indicators: ${err.where}: ${err.message}`)
      return 1
    }
    throw err
  }
  if (parsed.issues.length > 0) {
    const shown = parsed.issues.slice(0, MAX_ISSUES).map(formatIssue)
    const more = parsed.issues.length - shown.length
    io.err(
      [
        `indicators: ${values.file} has ${parsed.issues.length} bad row(s); nothing computed`,
        ...shown,
        ...(more > 0 ? [`... and ${more} more`] : []),
      ].join('\n'),
    )
    return 1
  }

  const series = candleSeries(parsed.candles)
  const outputs: Float64Array[] = []
  for (const spec of specs) {
    try {
      outputs.push(...spec.descriptor.compute(series, spec.params))
    } catch (err) {
      if (err instanceof AppError) {
        io.err(`indicators: ${spec.text}: ${err.message}`)
        return 1
      }
      throw err
    }
  }
  const n = parsed.candles.length
  const noVolume = series.volume.every((v) => v === 0)
  let k = 0
  for (const spec of specs) {
    const why =
      noVolume && spec.descriptor.inputs.includes('volume')
        ? 'the file has no volume'
        : `${n} bars are fewer than its warm-up`
    for (const name of specColumns(spec)) {
      if (n > 0 && outputs[k]!.every(Number.isNaN)) io.err(`indicators: note: ${name} has no values: ${why}`)
      k++
    }
  }

  const times = parsed.candles.map((c) => c.time)
  if (values.json) {
    io.out(toJson(times, columns, outputs))
    return 0
  }
  const timeText = parsed.timeless ? times.map(String) : times.map((t) => new Date(t).toISOString())
  const csv = toCsv(timeText, columns, outputs)
  if (values.out) {
    writeFileSync(values.out, csv)
    io.out(`wrote ${n} rows × ${columns.length} column(s) to ${values.out}`)
  } else {
    io.out(csv)
  }
  return 0
}
