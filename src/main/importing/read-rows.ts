import { readFileSync } from 'node:fs'
import { basename, extname } from 'node:path'
import { readCsvRows } from './csv-rows'
import { CandleFileError } from './issues'
import { readJsonRows } from './json-rows'
import type { ParseOptions } from './options'
import { finishRows, type ReadRows } from './row-order'

/** Formats people try to import that are not text; named so the message can say what to do. */
const BINARY_EXTENSIONS: Record<string, string> = {
  '.xlsx': 'an Excel workbook',
  '.xls': 'an Excel workbook',
  '.parquet': 'a Parquet file',
  '.feather': 'a Feather file',
  '.h5': 'an HDF5 file',
  '.hdf5': 'an HDF5 file',
  '.zip': 'a zip archive',
  '.gz': 'a gzip file',
}
const MAGIC: [string, string][] = [
  ['PK\u0003\u0004', 'a zip archive (or Excel workbook)'],
  ['PAR1', 'a Parquet file'],
  ['ARROW1', 'a Feather file'],
  ['\u0089HDF', 'an HDF5 file'],
  ['\u001f\u008b', 'a gzip file'],
]

function unknownFormat(file: string, what: string): CandleFileError {
  return new CandleFileError(
    file,
    `unknown format: ${basename(file)} is ${what}; export the candles as CSV or JSON`,
  )
}

/** Reads candle text; JSON if named `.json` or starting with `[` or `{`, otherwise delimited text. */
export function readCandleText(text: string, fileName: string, opts: ParseOptions = {}): ReadRows {
  const binary = BINARY_EXTENSIONS[extname(fileName).toLowerCase()]
  if (binary) throw unknownFormat(fileName, binary)
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  if (body.slice(0, 4096).includes('\u0000')) throw unknownFormat(fileName, 'not a text file')
  const start = body.trimStart()[0]
  const json = extname(fileName).toLowerCase() === '.json' || start === '[' || start === '{'
  if (start === undefined) throw new CandleFileError(fileName, `${basename(fileName)} is empty`)
  const rows = json ? readJsonRows(body, fileName, opts) : readCsvRows(body, fileName, opts)
  return finishRows(rows, fileName, opts.skipBad ?? false)
}

export function readCandleFile(file: string, opts: ParseOptions = {}): ReadRows {
  const named = BINARY_EXTENSIONS[extname(file).toLowerCase()]
  if (named) throw unknownFormat(file, named)
  let bytes: Buffer
  try {
    bytes = readFileSync(file)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a folder, not a file'
          : (err as Error).message
    throw new CandleFileError(file, `cannot read ${file}: ${why}`)
  }
  const head = bytes.subarray(0, 8).toString('latin1')
  const magic = MAGIC.find(([m]) => head.startsWith(m))
  if (magic) throw unknownFormat(file, magic[1])
  return readCandleText(bytes.toString('utf8'), file, opts)
}
