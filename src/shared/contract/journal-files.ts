import { z } from 'zod'
import { command, stream } from './define'

/**
 * Export and import of journal files from the Journal view (docs/CSV.md). An export's bytes do
 * not travel over the contract: the headless host streams them as a download
 * (`GET /export/<kind>.csv`), the desktop app writes them to the file its save dialog chose
 * (the stream journal.exportToFile); the columns to pick from come from here. An import's file comes in
 * chunks (a WebSocket message is at most 1 MiB), is previewed, then written on confirmation.
 */

export const EXPORT_KIND_NAMES = ['trades', 'fills', 'orders'] as const
export const IMPORT_FORMAT_NAMES = [
  'candlework',
  'candlework-trades',
  'binance',
  'ccxt',
  'tradervue',
] as const

/** The most an import file may hold (the sum of its chunks). */
export const IMPORT_MAX_BYTES = 32 * 1024 * 1024
/** The most one chunk may hold, in characters (a WebSocket message is at most 1 MiB). */
export const IMPORT_CHUNK_CHARS = 256 * 1024

const exportColumnSchema = z.object({
  name: z.string(),
  kind: z.enum(['text', 'decimal', 'time', 'integer', 'boolean']),
  default: z.boolean(),
  description: z.string(),
})

/** What to export, as the headless host's `/export/<kind>.csv` query says it (docs/CSV.md). */
const exportToFileSchema = z
  .object({
    /** The journal's kinds, or `alerts` (the Alerts view's history). */
    kind: z.enum([...EXPORT_KIND_NAMES, 'alerts']),
    /** Column names in the order wanted; empty for the kind's default set. */
    columns: z.array(z.string().min(1).max(60)).max(200).default([]),
    /** Start the file with a UTF-8 byte order mark (Excel). */
    excel: z.boolean().default(false),
    /** An IANA zone (or `local`): adds `<column>_local` after each time column. */
    localTime: z.string().min(1).max(64).optional(),
    /** An account's id or name (default: every account). */
    account: z.string().min(1).max(120).optional(),
    /** Inclusive, ms since 1970 UTC. */
    from: z.number().int().optional(),
    /** Exclusive, ms since 1970 UTC. */
    to: z.number().int().optional(),
    /** Alert history only: one alert (id or name), a symbol, what fired it. */
    alert: z.string().min(1).max(120).optional(),
    symbol: z.string().min(1).max(60).optional(),
    firingKind: z.string().min(1).max(40).optional(),
  })
  .strict()

const uploadIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, '8 to 64 letters, digits, _ or -')

const importParamsSchema = z
  .object({
    uploadId: uploadIdSchema,
    /** The file's name, for messages (`trades.csv:12:3`). */
    fileName: z.string().trim().min(1).max(200),
    /** Detected from the header when left out. */
    format: z.enum(IMPORT_FORMAT_NAMES).optional(),
    /** The imported account to write into (made on the first import), by id or name. */
    account: z.string().trim().min(1, 'name the account to import into').max(60),
    /** Write the good rows and list the bad ones (otherwise any bad row writes nothing). */
    skipBad: z.boolean().default(false),
  })
  .strict()

const importSummarySchema = z.object({
  file: z.string(),
  format: z.enum(IMPORT_FORMAT_NAMES),
  /** The account written into; `exists: false` in a preview means the import will make it. */
  account: z.object({ id: z.string().nullable(), name: z.string(), exists: z.boolean() }),
  rowsRead: z.number().int(),
  rowsValid: z.number().int(),
  /** Fills the import writes (preview) or wrote (commit). */
  rowsToWrite: z.number().int(),
  /** Trades a Candlework trades file holds (0 for files of fills). */
  trades: z.number().int(),
  duplicates: z.array(
    z.object({
      line: z.number().int(),
      reason: z.string(),
      of: z.string(),
      symbol: z.string(),
      time: z.number(),
    }),
  ),
  duplicateCount: z.number().int(),
  issues: z.array(
    z.object({
      line: z.number().int(),
      column: z.number().int(),
      field: z.string().nullable(),
      message: z.string(),
    }),
  ),
  issueCount: z.number().int(),
  /** Commit only: whether anything was written (a bad row without skipBad writes nothing). */
  written: z.boolean(),
})
export type ImportSummary = z.infer<typeof importSummarySchema>

export const journalFilesContract = {
  'journal.exportColumns': command({
    description:
      'The columns each export kind (trades, fills, orders) can write, with their kind, whether they are in the default set and what they hold (docs/CSV.md).',
    params: z.object({}).strict(),
    result: z.object({
      trades: z.array(exportColumnSchema),
      fills: z.array(exportColumnSchema),
      orders: z.array(exportColumnSchema),
    }),
  }),
  'journal.exportToFile': stream({
    description:
      'Desktop app only: asks where to save (a native save dialog), then writes the export there with the same columns and options as the ' +
      'download, through a hidden temporary file renamed at the end. Events: choosing (the dialog is open), writing (rows done of the total, ' +
      'a few times a second), then one last event, saved (the file, complete), dismissed (the dialog was closed, nothing written) or ' +
      'cancelled, and the stream ends. Unsubscribing cancels the export: its temporary file is removed and nothing is left under the chosen ' +
      'name. The headless host refuses it (unavailable): there the export is a download, GET /export/<kind>.csv.',
    params: exportToFileSchema,
    event: z.discriminatedUnion('state', [
      z.object({ state: z.literal('choosing') }),
      z.object({ state: z.literal('writing'), done: z.number().int(), total: z.number().int() }),
      z.object({
        state: z.literal('saved'),
        /** The file written, its full path. */
        file: z.string(),
        rows: z.number().int(),
        bytes: z.number().int(),
      }),
      z.object({ state: z.literal('dismissed') }),
      z.object({ state: z.literal('cancelled') }),
    ]),
  }),
  'journal.importChunk': command({
    description: `One piece of a file to import, in order from seq 0 (at most ${IMPORT_CHUNK_CHARS} characters each, ${IMPORT_MAX_BYTES / 1024 / 1024} MiB in all); kept by the engine for 10 minutes for importPreview and importCommit.`,
    params: z
      .object({
        uploadId: uploadIdSchema,
        seq: z.number().int().min(0),
        data: z.string().max(IMPORT_CHUNK_CHARS),
      })
      .strict(),
    result: z.object({ bytes: z.number().int() }),
  }),
  'journal.importPreview': command({
    description:
      'What importing the uploaded file would do, writing nothing: its format, the fills it holds, those already stored (duplicates) and the rows that cannot be read, each with line and column.',
    params: importParamsSchema,
    result: importSummarySchema,
  }),
  'journal.importCommit': command({
    description:
      'Imports the uploaded file into the named imported account (made on the first import), skipping duplicates; nothing is written when a row is bad unless skipBad. The journal builds its trades at once.',
    params: importParamsSchema,
    result: importSummarySchema,
  }),
}
