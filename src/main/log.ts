import { appendFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { ensurePrivateDir, ensurePrivateFile } from './paths'

export interface Logger {
  info(message: string, detail?: unknown): void
  warn(message: string, detail?: unknown): void
  error(message: string, detail?: unknown): void
}

/** Strings that must never reach a log line (API secrets, tokens); registered at run time. */
const redactions = new Set<string>()
export function registerSecret(value: string): void {
  if (value.length >= 6) redactions.add(value)
}
export function redact(text: string): string {
  let out = text
  for (const secret of redactions) out = out.split(secret).join('[redacted]')
  return out
}

function describe(detail: unknown): string {
  if (detail === undefined) return ''
  if (detail instanceof Error) return ` ${detail.stack ?? detail.message}`
  try {
    return ` ${JSON.stringify(detail)}`
  } catch {
    return ` ${String(detail)}`
  }
}

/** Writes one line per entry to `file` (if given) and to stderr, secrets redacted. */
export function createLogger(file?: string, echo = true): Logger {
  if (file) {
    // Logs name symbols, accounts and errors: owner only, like the rest of the data folder.
    ensurePrivateDir(dirname(file))
    ensurePrivateFile(file)
  }
  const write = (level: string, message: string, detail: unknown) => {
    const line = redact(`${new Date().toISOString()} ${level} ${message}${describe(detail)}`)
    if (file) {
      try {
        appendFileSync(file, line + '\n', { mode: 0o600 }) // recreated if someone removed it meanwhile
      } catch {
        // Its folder is gone (removed under a running engine): a log line must never be the
        // error itself, so it is dropped here; with `echo` it still reaches stderr.
      }
    }
    if (echo) process.stderr.write(line + '\n')
  }
  return {
    info: (m, d) => write('INFO', m, d),
    warn: (m, d) => write('WARN', m, d),
    error: (m, d) => write('ERROR', m, d),
  }
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} }
