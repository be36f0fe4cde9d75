import type { Db } from '../storage/database'
import { Decimal } from './decimal'

/**
 * SQL functions over decimal TEXT columns, for the few statements that must compare, multiply or
 * add amounts inside SQLite (the paper book's set-based fills, an order's fill totals). SQLite
 * itself would compare the text as text ('9' > '10') or, with CAST or SUM, as doubles; these do
 * it exactly, with `Decimal`.
 *
 * - `dec_cmp(a, b)`: -1, 0 or 1 as a < b, a = b, a > b (NULL when either is NULL);
 * - `dec_mul(a, b)`: a × b as canonical text (NULL when either is NULL);
 * - `dec_sum(x)`: the exact sum of a column as canonical text, NULLs skipped (NULL for no rows).
 *
 * Functions are registered per connection; `withDecimalFunctions` does it once for each.
 */
const registered = new WeakSet<Db>()

export function withDecimalFunctions(db: Db): Db {
  if (registered.has(db)) return db
  db.function('dec_cmp', { deterministic: true }, (a: unknown, b: unknown) =>
    a === null || b === null ? null : read(a).cmp(read(b)),
  )
  db.function('dec_mul', { deterministic: true }, (a: unknown, b: unknown) =>
    a === null || b === null ? null : read(a).times(read(b)).toString(),
  )
  db.aggregate('dec_sum', {
    start: (): Decimal | null => null,
    step: (total: Decimal | null, v: unknown) =>
      v === null ? total : total === null ? read(v) : total.plus(read(v)),
    result: (total: Decimal | null) => (total === null ? null : total.toString()),
  })
  registered.add(db)
  return db
}

/**
 * A column's decimal text (or a bound parameter's). A statement over a book reads the same few
 * prices and amounts again and again (and the same bound last price on every row), so the last
 * texts read are kept, parsed.
 */
function read(v: unknown): Decimal {
  if (typeof v !== 'string') throw new TypeError(`a decimal column holds ${typeof v}, not text`)
  let d = parsed.get(v)
  if (d === undefined) {
    if (parsed.size >= 1024) parsed.clear()
    parsed.set(v, (d = Decimal.parse(v)))
  }
  return d
}

const parsed = new Map<string, Decimal>()
