/**
 * Where things are in a JSON text. `JSON.parse` is fast but says nothing about positions (and
 * on Node 20 not even where a syntax error is), so when a message needs a line and column this
 * small scanner walks the text once: it validates the syntax and records where each row of
 * the top-level array starts and where each of its values (or object members) starts.
 * It only runs when something has to be reported, never on a clean import.
 */

export interface JsonRowPos {
  start: number
  /** Offsets of the row's values: array elements in order, or object member values. */
  fields: number[]
  /** For object rows, the member names, parallel to `fields`. */
  keys: string[]
}

export type JsonScan = { ok: true; rows: JsonRowPos[] } | { ok: false; offset: number; message: string }

class ScanError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message)
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y
const MAX_DEPTH = 256

export function scanJson(text: string): JsonScan {
  const rows: JsonRowPos[] = []
  let i = 0

  const fail = (message: string): never => {
    throw new ScanError(i, message)
  }
  const ws = (): void => {
    for (;;) {
      const c = text.charCodeAt(i)
      if (c === 32 || c === 9 || c === 10 || c === 13) i++
      else return
    }
  }
  const describe = (): string => (i >= text.length ? 'end of file' : `"${text[i]}"`)

  const string = (): string => {
    const start = i
    i++
    for (;;) {
      if (i >= text.length) fail('string is not closed')
      const c = text.charCodeAt(i)
      if (c === 34) break
      if (c < 32) fail('control character in string')
      i += c === 92 ? 2 : 1
    }
    i++
    return JSON.parse(text.slice(start, i)) as string
  }

  const value = (depth: number, row: JsonRowPos | undefined): void => {
    if (depth > MAX_DEPTH) fail('nested too deeply')
    ws()
    const c = text[i]
    if (c === '[') return array(depth, row)
    if (c === '{') return object(depth, row)
    if (c === '"') return void string()
    for (const lit of ['true', 'false', 'null']) {
      if (text.startsWith(lit, i)) {
        i += lit.length
        return
      }
    }
    NUMBER.lastIndex = i
    if (NUMBER.test(text)) {
      i = NUMBER.lastIndex
      return
    }
    fail(`unexpected ${describe()}`)
  }

  // Elements of the top-level array are rows; elements of a row are its fields.
  const element = (depth: number, row: JsonRowPos | undefined): void => {
    ws()
    if (depth === 0) {
      const r: JsonRowPos = { start: i, fields: [], keys: [] }
      rows.push(r)
      value(depth + 1, r)
    } else {
      if (depth === 1) row?.fields.push(i)
      value(depth + 1, undefined)
    }
  }

  const array = (depth: number, row: JsonRowPos | undefined): void => {
    i++
    ws()
    if (text[i] === ']') return void i++
    for (;;) {
      element(depth, row)
      ws()
      if (text[i] === ',') i++
      else if (text[i] === ']') return void i++
      else fail(`expected "," or "]" but found ${describe()}`)
    }
  }

  const object = (depth: number, row: JsonRowPos | undefined): void => {
    i++
    ws()
    if (text[i] === '}') return void i++
    for (;;) {
      ws()
      if (text[i] !== '"') fail(`expected a member name in quotes but found ${describe()}`)
      const key = string()
      ws()
      if (text[i] !== ':') fail(`expected ":" but found ${describe()}`)
      i++
      if (depth === 1) row?.keys.push(key)
      element(depth === 0 ? 2 : depth, row) // members of a top-level object are not rows
      ws()
      if (text[i] === ',') i++
      else if (text[i] === '}') return void i++
      else fail(`expected "," or "}" but found ${describe()}`)
    }
  }

  try {
    ws()
    if (text[i] === '[') array(0, undefined)
    else value(0, undefined)
    ws()
    if (i < text.length) fail(`unexpected ${describe()} after the end of the data`)
    return { ok: true, rows }
  } catch (err) {
    if (err instanceof ScanError) return { ok: false, offset: err.offset, message: err.message }
    throw err
  }
}

/** Turns offsets into 1-based line and column; builds its line table once. */
export function lineLocator(text: string): (offset: number) => { line: number; column: number } {
  const starts = [0]
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1)
  return (offset) => {
    let lo = 0
    let hi = starts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (starts[mid]! <= offset) lo = mid
      else hi = mid - 1
    }
    return { line: lo + 1, column: offset - starts[lo]! + 1 }
  }
}
