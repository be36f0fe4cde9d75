import { z } from 'zod'
import { command } from './define'

/**
 * Export and import of journal files from the Journal view (docs/CSV.md). An export's bytes do
 * not travel over the contract: the headless host streams them as a download
 * (`GET /export/<kind>.csv`); the columns to pick from come from here. An import's file comes in
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
