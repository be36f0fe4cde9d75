/**
 * CSV text as RFC 4180 writes it, and the formula-injection guard (OWASP "CSV Injection").
 *
 * Why not csv-stringify: it wrote 1,000,000 fill rows in about 4.1 s on the bench machine against
 * 1.3 s for these few lines (bench/csv.bench.ts, docs/CSV.md); the 3 s goal leaves no room for
 * its per-cell option handling. It stays in the tests as an independent check that this writer
 * quotes exactly as it does (test/csv/csv-text.test.ts).
 */

/** The byte order mark Excel needs to read a CSV file as UTF-8 (`--excel`). */
export const UTF8_BOM = '\ufeff'

/** RFC 4180 line ending. */
export const EOL = '\r\n'

const NEEDS_QUOTES = /[",\r\n]/
const QUOTE = /"/g

/** One field: quoted (inner quotes doubled) when it holds a comma, a quote or a line break. */
export function csvField(text: string): string {
  return NEEDS_QUOTES.test(text) ? '"' + text.replace(QUOTE, '""') + '"' : text
}

/**
 * A text cell made safe to open in a spreadsheet: one that starts with `=`, `+`, `-`, `@`, a tab
 * or a carriage return gets a leading `'`, so Excel, LibreOffice and Google Sheets show it as
 * text instead of evaluating it as a formula. A cell that already starts with `'` gets one too,
 * so the rule can be undone without loss: an importer of our own files drops exactly one leading
 * `'` from a text cell (`unguardText`). Numbers are never text cells (see columns.ts), so a
 * negative P&L stays `-12.5`.
 */
export function guardText(text: string): string {
  if (text.length === 0) return text
  const c = text.charCodeAt(0)
  // = + - @ tab CR '
  return c === 61 || c === 43 || c === 45 || c === 64 || c === 9 || c === 13 || c === 39 ? "'" + text : text
}

/** The inverse of `guardText`, for reading a text cell of Candlework's own export. */
export function unguardText(text: string): string {
  return text.charCodeAt(0) === 39 ? text.slice(1) : text
}
