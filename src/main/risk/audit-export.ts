import type { AuditEntry } from '../../shared/contract/risk'
import { csvField, guardText } from '../export/csv-text'
import { isoTimeFormatter } from '../export/iso-time'
import { writeCsvFile, type WriteCsvResult } from '../export/write-csv'

export const AUDIT_HEADERS = [
  'id',
  'time',
  'account',
  'action',
  'decision',
  'rule',
  'limit',
  'value',
  'message',
  'request',
]

/**
 * Writes audit entries to a CSV file through the exporter's writer (write-csv.ts: a temporary
 * file renamed when complete, `\r\n` lines); text cells guarded against formula injection as
 * every export is, times in ISO UTC.
 */
export function writeAuditCsv(file: string, entries: readonly AuditEntry[]): Promise<WriteCsvResult> {
  const iso = isoTimeFormatter()
  const text = (s: string | null) => csvField(guardText(s ?? ''))
  const line = (e: AuditEntry) =>
    [
      String(e.id),
      iso(e.at),
      text(e.accountId),
      e.action,
      e.decision,
      text(e.rule),
      text(e.limit),
      text(e.value),
      text(e.message),
      text(e.request),
    ].join(',')
  const batches = function* () {
    for (let i = 0; i < entries.length; i += 1000) yield entries.slice(i, i + 1000).map(line)
  }
  return writeCsvFile({ file, headers: AUDIT_HEADERS, lines: batches(), total: entries.length })
}
