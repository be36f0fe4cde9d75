/**
 * CSV records with their place in the file, for messages that point at a line and column.
 * RFC 4180: quoted fields may hold the delimiter, doubled quotes and line breaks (a note
 * exported by Candlework may span lines), so a record can span several physical lines; `line`
 * is where it starts. csv-parse is not used here: it reports where a record ends, not where
 * each field begins, and an editor's line:column is what a trader needs to fix a file.
 */

export interface CsvRecord {
  fields: string[]
  /** 1-based line where the record starts. */
  line: number
  /** The record's text as in the file (without its line ending), to find a field's column. */
  text: string
}

export type CsvReadResult =
  { ok: true; records: CsvRecord[] } | { ok: false; line: number; column: number; message: string }

/** Every non-blank record of `text` (BOM already removed), split on `delimiter`. */
export function readCsvRecords(text: string, delimiter: string): CsvReadResult {
  const records: CsvRecord[] = []
  const n = text.length
  let pos = 0
  let line = 1
  while (pos < n) {
    let end = text.indexOf('\n', pos)
    if (end < 0) end = n
    let lineText = text.slice(pos, end > pos && text.charCodeAt(end - 1) === 13 ? end - 1 : end)
    if (!lineText.includes('"')) {
      if (lineText.trim() !== '') records.push({ fields: lineText.split(delimiter), line, text: lineText })
      pos = end + 1
      line++
      continue
    }
    // Quoted: read fields until the record ends outside quotes.
    const startLine = line
    const recordStart = pos
    const fields: string[] = []
    let field = ''
    let i = pos
    for (;;) {
      if (i < n && text[i] === '"' && field === '' && isFieldStart(text, i, recordStart, delimiter)) {
        const open = i
        i++
        for (;;) {
          const q = text.indexOf('"', i)
          if (q < 0) {
            const before = text.slice(recordStart, open)
            return {
              ok: false,
              line: startLine + count(before, '\n'),
              column: open - Math.max(recordStart, text.lastIndexOf('\n', open - 1) + 1) + 1,
              message: 'a quote opened here is never closed',
            }
          }
          field += text.slice(i, q)
          if (text[q + 1] === '"') {
            field += '"'
            i = q + 2
          } else {
            i = q + 1
            break
          }
        }
        line += count(text.slice(open, i), '\n')
      }
      const c = text[i]
      if (i >= n || c === '\n' || (c === '\r' && text[i + 1] === '\n')) {
        fields.push(field)
        lineText = text.slice(recordStart, i)
        records.push({ fields, line: startLine, text: lineText })
        pos = i >= n ? n : c === '\r' ? i + 2 : i + 1
        line++
        break
      }
      if (c === delimiter) {
        fields.push(field)
        field = ''
      } else field += c
      i++
    }
  }
  return { ok: true, records }
}

/** A quote opens a quoted field only at the field's start. */
function isFieldStart(text: string, i: number, recordStart: number, delimiter: string): boolean {
  return i === recordStart || text[i - 1] === delimiter
}

function count(s: string, ch: string): number {
  let k = 0
  for (let i = s.indexOf(ch); i >= 0; i = s.indexOf(ch, i + 1)) k++
  return k
}

/** Line and 1-based column where field `index` of a record starts (past the record's end: its end). */
export function fieldPosition(
  r: CsvRecord,
  delimiter: string,
  index: number,
): { line: number; column: number } {
  let field = 0
  let quoted = false
  let line = r.line
  let lineStart = 0
  let start = 0
  const t = r.text
  for (let i = 0; i < t.length && field < index; i++) {
    const ch = t[i]
    if (ch === '"') quoted = !quoted
    else if (ch === '\n') {
      line++
      lineStart = i + 1
    } else if (ch === delimiter && !quoted) {
      field++
      start = i + 1
    }
  }
  if (field < index) start = t.length
  return { line, column: start - lineStart + 1 }
}
