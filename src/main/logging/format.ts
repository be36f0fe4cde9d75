/*
 * The log's line shape and how a person reads it. A line in the file is one JSON object:
 *   {"level":"warn","time":"2026-12-07T13:49:19.123Z","pid":4242,"domain":"trading",
 *    "msg":"start-up reconciliation failed","err":{"type":"Error","message":"...","stack":"..."}}
 * `domain` is there when the line comes from a domain's logger; the detail given to a log call is
 * merged in as fields when it is a plain object, else kept under `err` (an error) or `detail`.
 */

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

export const isLogLevel = (s: string): s is LogLevel => (LOG_LEVELS as readonly string[]).includes(s)

/** The names pino and the logger put on every line; a detail's own fields never take them. */
export const LINE_KEYS = ['level', 'time', 'pid', 'domain', 'msg'] as const

export interface LogEntry {
  level: string
  /** ISO 8601, UTC. */
  time: string
  domain?: string
  msg: string
  /** Everything else on the line. */
  fields: Record<string, unknown>
}

/** One line of the file as an entry; null for what is not a whole log line (a torn last line). */
export function parseLine(line: string): LogEntry | null {
  const text = line.trim()
  if (!text.startsWith('{') || !text.endsWith('}')) return null
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return null
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return null
  const { level, time, pid: _pid, domain, msg, ...fields } = parsed as Record<string, unknown>
  if (typeof level !== 'string' || typeof time !== 'string') return null
  return {
    level,
    time,
    domain: typeof domain === 'string' ? domain : undefined,
    msg: typeof msg === 'string' ? msg : '',
    fields,
  }
}

/**
 * An entry as a person reads it: `2026-12-07 13:49:19.123Z WARN  trading  message  key=value`;
 * an error's stack follows on indented lines.
 */
export function formatEntry(entry: LogEntry): string {
  const time = entry.time.replace('T', ' ')
  const head = [time, entry.level.toUpperCase().padEnd(5), (entry.domain ?? '-').padEnd(9), entry.msg]
  const stacks: string[] = []
  const fields = Object.entries(entry.fields).map(([key, value]) => {
    const stack = stackOf(value)
    if (stack) {
      stacks.push(stack)
      const { stack: _stack, ...rest } = value as Record<string, unknown>
      return `${key}=${JSON.stringify(rest)}`
    }
    return `${key}=${typeof value === 'string' ? quoteIfNeeded(value) : JSON.stringify(value)}`
  })
  const line = [...head, ...fields].join('  ')
  return stacks.length === 0 ? line : [line, ...stacks.map(indent)].join('\n')
}

/** A JSON line formatted for a person, or the line as it is when it is not a log line. */
export function formatLine(line: string): string {
  const entry = parseLine(line)
  return entry ? formatEntry(entry) : line.trimEnd()
}

function stackOf(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined
  const stack = (value as { stack?: unknown }).stack
  return typeof stack === 'string' ? stack : undefined
}

const quoteIfNeeded = (s: string): string => (/^[^\s"=]+$/.test(s) ? s : JSON.stringify(s))

const indent = (text: string): string =>
  text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n')
