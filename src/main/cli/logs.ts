/**
 * `logs [--data-dir D] [--level L] [--since S] [--follow] [--json]`: prints the engine's log (the
 * JSON lines in <data folder>/logs/candlework.log and its rotated files, oldest first) as a
 * person reads it: time, level, domain, message, fields, an error's stack below. `--json` prints
 * the chosen lines as they are, to attach to a bug report.
 *
 * Exit codes: 0 printed (also when nothing matched); 1 there is no log in that folder; 2 usage errors.
 */
import { existsSync } from 'node:fs'
import { formatEntry, isLogLevel, LOG_LEVELS, type LogEntry, type LogLevel } from '../logging/format'
import { followLog, readEntry, readLog } from '../logging/read'
import { logFilesOldestFirst } from '../logging/rotation'
import { logFile, resolveDataDir } from '../paths'
import { parseFlags, usageError, type CliCommand, type CliIo } from './io'

const USAGE = `Usage: npm run cli -- logs [--data-dir D] [--level L] [--since S] [--follow] [--json]

  --data-dir D      data folder (default: CANDLEWORK_DATA_DIR or the app's folder)
  --level L         only lines at level L or above: ${LOG_LEVELS.join(', ')}
  --since S         only lines of the last S (45s, 30m, 2h, 7d) or since a time (2026-12-07T13:00:00Z)
  --follow          then print lines as they are written, until Ctrl-C
  --json            print the JSON lines as they are (what to attach to a bug report)`

const OPTIONS = {
  'data-dir': { type: 'string' },
  level: { type: 'string' },
  since: { type: 'string' },
  follow: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }

/** The time `--since` names, in ms since the epoch; null when it names none. */
export function parseSince(text: string, now: number): number | null {
  const span = /^(\d+)([smhd])$/.exec(text.trim())
  if (span) return now - Number(span[1]) * (UNIT_MS[span[2] ?? ''] ?? 0)
  if (!/^\d{4}-\d\d-\d\d/.test(text.trim())) return null
  const at = Date.parse(text)
  return Number.isNaN(at) ? null : at
}

export interface LogsOptions {
  now?: () => number
  /** Stops `--follow`; the real CLI aborts it on Ctrl-C. */
  signal?: AbortSignal
  followIntervalMs?: number
}

export function makeLogsCommand(opts: LogsOptions = {}): CliCommand {
  return async (argv, io) => {
    const flags = parseFlags('logs', USAGE, argv, OPTIONS, io)
    if (!flags.ok) return flags.exit
    const { level, since, follow, json } = flags.values
    if (level !== undefined && !isLogLevel(level)) {
      return usageError(io, 'logs', USAGE, `--level must be one of ${LOG_LEVELS.join(', ')}, got "${level}"`)
    }
    const sinceMs = since === undefined ? null : parseSince(since, (opts.now ?? Date.now)())
    if (since !== undefined && sinceMs === null) {
      return usageError(
        io,
        'logs',
        USAGE,
        `--since must be a span like 30m, 2h or 7d, or an ISO time, got "${since}"`,
      )
    }
    const file = logFile(resolveDataDir(flags.values['data-dir']))
    if (!existsSync(file) && logFilesOldestFirst(file).length === 0) {
      io.err(`logs: there is no log at ${file} (has the app or the headless host run with this data folder?)`)
      return 1
    }
    const print = printer(io, { min: level, since: sinceMs, json })
    const read = await readLog(file)
    for (const line of read.lines) print(line)
    if (!follow) {
      if (read.torn) io.err('logs: the last line was still being written and is left out')
      return 0
    }
    const signal = opts.signal ?? untilInterrupted()
    await followLog(file, read.end, print, signal, opts.followIntervalMs)
    return 0
  }
}

export const logsCommand: CliCommand = makeLogsCommand()

function printer(io: CliIo, filter: { min?: LogLevel; since: number | null; json: boolean }) {
  const minRank = filter.min ? LOG_LEVELS.indexOf(filter.min) : 0
  const shown = (entry: LogEntry): boolean => {
    const rank = LOG_LEVELS.indexOf(entry.level as LogLevel)
    if (rank >= 0 && rank < minRank) return false
    return filter.since === null || Date.parse(entry.time) >= filter.since
  }
  return (line: string): void => {
    const entry = readEntry(line)
    // A line that is no log line (a stray write to the file) is shown when nothing is filtered.
    if (!entry) {
      if (filter.min === undefined && filter.since === null) io.out(line)
      return
    }
    if (shown(entry)) io.out(filter.json ? line : formatEntry(entry))
  }
}

function untilInterrupted(): AbortSignal {
  const controller = new AbortController()
  process.once('SIGINT', () => controller.abort())
  return controller.signal
}
