export interface ParseOptions {
  /**
   * Accept a file without a time column (indicator input such as the TA-Lib dataset): bars
   * are then numbered 0, 1, 2... by their row position and `timeless` is set.
   */
  allowMissingTime?: boolean
  /** Keep the good rows when some are bad; otherwise any issue leaves `candles` empty. */
  skipBad?: boolean
}

/** The refusal for a file without times, shared by the CSV and JSON readers. */
export function noTimeMessage(fileName: string, columns: readonly string[]): string {
  return (
    `${fileName} has no date or time column (columns: ${columns.map((c) => c || '(unnamed)').join(', ')}), ` +
    'so it has no bar times and cannot be imported as a candle history. ' +
    'Files like the TA-Lib regression dataset are indicator input, not histories; ' +
    'add a Date, Time or Timestamp column to import one.'
  )
}

export const EXPECTED_COLUMNS =
  'expected a header with Date (or Time, Timestamp, Datetime, Open time), Open, High, Low, Close and optionally Volume'
