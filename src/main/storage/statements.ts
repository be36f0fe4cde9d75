import type { Db } from './db'

/**
 * Statements prepared once per connection: `perConnection(prepare)` returns a getter that runs
 * `prepare(db)` the first time it is asked for `db` and hands back the same object after, for as
 * long as that connection lives (it is held weakly, so a closed, dropped connection takes its
 * statements with it, and a second connection, such as a test's, gets its own). Preparing costs
 * more than running for the short statements the domains use, so each store keeps its statements
 * in one of these at module level:
 *
 *     const statements = perConnection((db) => ({ get: db.prepare('SELECT ...') }))
 *     statements(db).get.get(key)
 *
 * `prepare` may return anything per connection, e.g. a `Map` of statements keyed by their text
 * for SQL built per call.
 */
export function perConnection<T extends object>(prepare: (db: Db) => T): (db: Db) => T {
  const cache = new WeakMap<Db, T>()
  return (db) => {
    let made = cache.get(db)
    if (made === undefined) {
      made = prepare(db)
      cache.set(db, made)
    }
    return made
  }
}
