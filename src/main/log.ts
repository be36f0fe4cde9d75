import { statSync } from 'node:fs'
import { dirname } from 'node:path'
import { pino, type Logger as Pino } from 'pino'
import { formatLine, isLogLevel, LINE_KEYS, LOG_LEVELS, type LogLevel } from './logging/format'
import { censor, redactJsonLine } from './logging/redact'
import { DEFAULT_ROTATION, rotateBySize, type RotationPolicy } from './logging/rotation'
import { ensurePrivateDir, ensurePrivateFile } from './paths'

export { redact, registerSecret } from './logging/redact'
export type { LogLevel } from './logging/format'

/** What the engine's code logs through. A log call never throws and never rejects. */
export interface Logger {
  debug(message: string, detail?: unknown): void
  info(message: string, detail?: unknown): void
  warn(message: string, detail?: unknown): void
  error(message: string, detail?: unknown): void
}

/** A logger that owns its file: whoever creates it closes it. */
export interface FileLogger extends Logger {
  /** This logger with `domain` on every line (`"domain":"trading"`), sharing its file. */
  forDomain(domain: string): Logger
  /** Writes what is buffered now, synchronously: for a crash path, where no callback will run. */
  flushSync(): void
  /** Writes what is buffered and closes the file. Lines after this reach stderr only (with echo). */
  close(): Promise<void>
}

export interface LoggerOptions {
  /** The JSON-lines file; none: stderr only. Its folder is made 0700 and the file 0600. */
  file?: string
  /** Also write each line to stderr, formatted for a person. Default true. */
  echo?: boolean
  /** The lowest level written. Default: CANDLEWORK_LOG_LEVEL, else `info`. */
  level?: LogLevel
  rotation?: RotationPolicy
}

/** The level CANDLEWORK_LOG_LEVEL asks for, `info` when unset; an unknown value is an error naming it. */
export function logLevelFromEnv(env: NodeJS.ProcessEnv = process.env): LogLevel {
  const value = env.CANDLEWORK_LOG_LEVEL?.trim().toLowerCase()
  if (!value) return 'info'
  if (isLogLevel(value)) return value
  throw new Error(
    `CANDLEWORK_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${env.CANDLEWORK_LOG_LEVEL}"`,
  )
}

/**
 * The engine's logger: pino writing JSON lines, one per call, to `file` through a SonicBoom in
 * asynchronous mode (lines are buffered and written by libuv's thread pool, never with a
 * synchronous write per line on the main thread), rotated by size (logging/rotation.ts), secrets
 * censored by field name and cut out by value (logging/redact.ts). pino flushes the buffer
 * synchronously when the process exits, also after an uncaught exception; `close` flushes it
 * when the engine closes.
 *
 * Not a pino transport: those run in a worker thread that loads its target module by path at run
 * time, which the packaged app (app.asar, only-load-from-asar fuse) and a bundled main would have
 * to be taught; the writes here are already off the main thread, in the thread pool.
 */
export function createLogger(options: LoggerOptions = {}): FileLogger {
  const echo = options.echo ?? true
  const file = options.file ? openFile(options.file, options.rotation ?? DEFAULT_ROTATION) : null
  let closed = false
  const sink = {
    write(line: string): void {
      const safe = redactJsonLine(line)
      if (file && !closed) {
        try {
          file.write(safe)
        } catch {
          // A log line must never be the error itself (the stream was destroyed under us).
        }
      }
      if (echo) {
        try {
          process.stderr.write(`${formatLine(safe)}\n`)
        } catch {
          // stderr closed (a detached process): the file still has the line.
        }
      }
    },
  }
  const root = pino(
    {
      level: options.level ?? logLevelFromEnv(),
      base: { pid: process.pid }, // no hostname: the lines go into bug reports
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // Details are serialised by `censor` already; pino's error serialiser would retype them.
      serializers: { err: (value: unknown) => value },
    },
    sink,
  )
  return {
    ...wrap(root),
    forDomain: (domain) => wrap(root.child({ domain })),
    flushSync() {
      if (!file || closed) return
      try {
        file.flushSync()
      } catch {
        // Not open yet, or a write in flight: what is buffered is what pino's exit hook writes.
      }
    },
    async close() {
      if (!file || closed) return
      closed = true
      if (unopenable.has(file)) return
      await new Promise<void>((resolve) => {
        // Bounded: a disk that stops answering must not hold up the engine's close for ever.
        const timer = setTimeout(() => {
          try {
            file.flushSync()
            file.destroy()
          } catch {
            // Nothing more can be written; the close goes on.
          }
          resolve()
        }, CLOSE_TIMEOUT_MS)
        const done = () => {
          clearTimeout(timer)
          resolve()
        }
        file.once('close', done)
        file.once('error', done)
        try {
          file.end() // writes what is buffered, then closes
        } catch {
          done()
        }
      })
    },
  }
}

/** `log` with `domain` on every line when it is a file logger; other loggers as they are. */
export function forDomain(log: Logger, domain: string): Logger {
  const owned = log as Partial<FileLogger>
  return typeof owned.forDomain === 'function' ? owned.forDomain(domain) : log
}

/**
 * Logs an uncaught exception or unhandled rejection as the process dies of it; pino's exit hook
 * then writes what is buffered synchronously. Only a monitor: what happens next is unchanged.
 * A crash before the file has opened (within the first turn of the event loop) loses the file's
 * lines; with echo they are on stderr. Gives the function that unregisters it.
 */
export function logCrashes(log: Logger): () => void {
  const monitor = (err: unknown, origin: string): void =>
    log.error(origin === 'unhandledRejection' ? 'unhandled rejection' : 'uncaught exception', err)
  process.on('uncaughtExceptionMonitor', monitor)
  return () => void process.off('uncaughtExceptionMonitor', monitor)
}

type Destination = ReturnType<typeof pino.destination>

const CLOSE_TIMEOUT_MS = 2_000
/** Files whose first open failed. */
const unopenable = new WeakSet<Destination>()

function openFile(path: string, rotation: RotationPolicy): Destination {
  // Logs name symbols, accounts and errors: owner only, like the rest of the data folder.
  ensurePrivateDir(dirname(path))
  ensurePrivateFile(path)
  const dest = pino.destination({
    dest: path,
    sync: false,
    mode: 0o600, // a file opened after rotation is made owner-only too
    // Lines beyond 16 MiB waiting for a disk that does not take them are dropped, not kept.
    maxLength: 16 * 1024 * 1024,
  })
  // Without a listener an 'error' (the folder removed, the disk full) would be thrown: a log line
  // never is the error, so it is dropped, and SonicBoom carries on with the next write.
  let opened = false
  dest.once('ready', () => (opened = true))
  dest.on('error', () => {
    if (opened || unopenable.has(dest)) return
    // The file could not even be opened (its folder removed at once): nothing will ever be
    // written, so writing, pino's flush at exit and closing become no-ops, as pino does on EPIPE.
    unopenable.add(dest)
    dest.write = () => true
    dest.flushSync = () => {}
    dest.end = () => {}
  })
  rotateBySize(dest, path, rotation, statSync(path).size, () => {})
  return dest
}

function wrap(p: Pino): Logger {
  const at =
    (level: LogLevel) =>
    (message: string, detail?: unknown): void => {
      try {
        p[level](fieldsOf(detail), message)
      } catch {
        // Nothing in a log call may throw into the caller.
      }
    }
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }
}

/** The fields a detail adds to a line: a plain object's own, an error under `err`, else `detail`. */
function fieldsOf(detail: unknown): Record<string, unknown> {
  if (detail === undefined) return {}
  const safe = censor(detail)
  if (detail instanceof Error) return { err: safe }
  if (safe !== null && typeof safe === 'object' && !Array.isArray(safe)) {
    const fields = safe as Record<string, unknown>
    if (!LINE_KEYS.some((k) => k in fields)) return fields
  }
  return { detail: safe }
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} }
