import { z } from 'zod'

/**
 * The closed set of error kinds a command or stream can answer with. A thrown error never
 * crosses a transport intact (Electron keeps only its message), so every failure is mapped
 * to one of these kinds before it leaves the engine.
 */
export const ERROR_KINDS = [
  'validation',
  'not_found',
  'conflict',
  'unavailable',
  'rate_limited',
  /** A fixed cap was reached (e.g. live subscriptions per connection): waiting will not help, freeing some will. */
  'limit_exceeded',
  'auth_failed',
  'insufficient_funds',
  'invalid_order',
  'outcome_unknown',
  'risk_rejected',
  'internal',
] as const

export const errorKindSchema = z.enum(ERROR_KINDS)
export type ErrorKind = z.infer<typeof errorKindSchema>

export const appErrorSchema = z.object({
  kind: errorKindSchema,
  message: z.string(),
  /** Where in the request the problem is, e.g. `params.symbol`, `line 12, column 3`. */
  path: z.string().optional(),
  /** Seconds to wait before retrying, for `rate_limited`. */
  retryAfter: z.number().optional(),
})
export type AppErrorShape = z.infer<typeof appErrorSchema>

/** A domain error with a kind from the closed set; handlers throw it, the registry wraps it. */
export class AppError extends Error {
  override readonly name = 'AppError'
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly path?: string,
    readonly retryAfter?: number,
  ) {
    super(message)
  }

  toShape(): AppErrorShape {
    const shape: AppErrorShape = { kind: this.kind, message: this.message }
    if (this.path !== undefined) shape.path = this.path
    if (this.retryAfter !== undefined) shape.retryAfter = this.retryAfter
    return shape
  }
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppErrorShape }

export const ok = <T>(value: T): Result<T> => ({ ok: true, value })
export const fail = (error: AppErrorShape): Result<never> => ({ ok: false, error })

/** Renders a zod issue path as `a.b[2].c` for error messages. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => {
    if (typeof key === 'number') return `${acc}[${key}]`
    const name = String(key)
    return acc === '' ? name : `${acc}.${name}`
  }, '')
}

/**
 * Turns a failed zod parse into a `validation` error naming the first bad field. With the
 * `input` that was parsed, a number too large for a double (`1e400` or 400 digits in JSON,
 * which parse to Infinity) is called that, rather than zod's "expected number, received Infinity".
 */
export function validationError(error: z.ZodError, root: string, input?: unknown): AppErrorShape {
  const issue = error.issues[0]
  const inner = issue ? formatIssuePath(issue.path) : ''
  const path = inner === '' ? root : `${root}.${inner}`
  const value = issue ? valueAt(input, issue.path) : undefined
  const why =
    typeof value === 'number' && (value === Infinity || value === -Infinity)
      ? 'the number is too large (beyond 1.8e308)'
      : (issue?.message ?? 'invalid value')
  return { kind: 'validation', message: `${path}: ${why}`, path }
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input
  for (const key of path) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, key)) return undefined
    v = (v as Record<PropertyKey, unknown>)[key]
  }
  return v
}
