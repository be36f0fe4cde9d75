import type { Database, Statement } from 'better-sqlite3'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Db } from '../../src/main/storage/database'
import { useTempDirs } from '../support/temp-dir'
import { fakeExchange, FaultyVenue, ManualClock, openTradingDb, Prices, service } from './support'

/*
 * Every statement the trading domain runs while trading (paper and live: placing, filling,
 * canceling, the blotter's lists, positions, unknown-outcome checks, live polling,
 * reconciliation, reset, delete) is recorded with the parameters of its first run, and its
 * plan (EXPLAIN QUERY PLAN) must fit: no table scanned whole, no temporary b-tree to sort or
 * group, and every column compared to a parameter with `=` found through the index, unless
 * the index used is unique and fully given. A query whose plan falls short is listed in
 * ACCEPTED with the reason its cost is bounded; anything else fails here.
 *
 * No ANALYZE is ever run on the app's database, so the planner chooses from the schema
 * alone and the plans here are the plans on a trader's full database.
 */

/** Tables that hold a row or a few per account: reading them whole costs nothing. */
const SMALL_TABLES: Record<string, string> = {
  trading_accounts: 'one row per account',
  paper_sequence: 'one row',
  // Not a table: the list of ids a statement is given (the limit orders one price move fills).
  json_each: 'the ids bound to the statement, each looked up by its primary key',
}

/** Statements whose plan falls short, and why that is bounded. Each must still be run here. */
const ACCEPTED: { sql: RegExp; why: string }[] = [
  {
    sql: /^SELECT fee_currency AS currency, dec_sum\(fee_cost\)/,
    why: 'groups the fills of one order (one on paper, a handful live), found through trading_fills_by_order',
  },
  {
    sql: /^SELECT symbol FROM trading_orders WHERE account_id = \? UNION SELECT symbol FROM trading_fills/,
    why: 'once per reconciliation of a live account (not per order or fill), for the symbols to fetch trades of',
  },
  {
    sql: /^SELECT MAX\(time\) AS t FROM trading_fills WHERE account_id = \? AND symbol = \?$/,
    why: 'once per symbol per reconciliation of a live account; the time index is walked from the newest fill',
  },
  {
    sql: /^SELECT MIN\(created_at\) AS t FROM trading_orders WHERE account_id = \? AND symbol = \?$/,
    why: 'once per symbol without fills per reconciliation of a live account; the time index is walked from the oldest order',
  },
]

interface Seen {
  sql: string
  params: unknown[]
}

/** Records every statement prepared on `db` and the parameters of its first run. */
function recordStatements(db: Db): { seen: Map<string, Seen>; prepare: (sql: string) => Statement } {
  const seen = new Map<string, Seen>()
  const prepare = db.prepare.bind(db) as (sql: string) => Statement
  const wrapped = (sql: string): Statement =>
    new Proxy(prepare(sql), {
      get(target, key) {
        const v = Reflect.get(target, key, target) as unknown
        if (typeof v !== 'function') return v
        const f = v as (...a: unknown[]) => unknown
        if (key !== 'run' && key !== 'get' && key !== 'all' && key !== 'iterate') return f.bind(target)
        return (...args: unknown[]) => {
          if (!seen.has(sql)) seen.set(sql, { sql, params: args })
          return f.apply(target, args)
        }
      },
    })
  ;(db as unknown as { prepare: typeof wrapped }).prepare = wrapped
  return { seen, prepare }
}

const oneLine = (sql: string): string => sql.replace(/\s+/g, ' ').trim()

/** What is wrong with a statement's plan (empty when it fits). */
function planProblems(db: Database, prepare: (sql: string) => Statement, s: Seen): string[] {
  const plan = (prepare(`EXPLAIN QUERY PLAN ${s.sql}`).all(...s.params) as { detail: string }[]).map(
    (r) => r.detail,
  )
  const where = oneLine(s.sql)
    .split(/ WHERE /i)
    .slice(1)
    .join(' WHERE ')
  const equal = new Set(
    [...where.matchAll(/\b(\w+) = (?:\?|@\w+)/g)].map((m) => (m[1] === 'id' ? 'rowid' : m[1]!)),
  )
  const tables = plan.flatMap((d) => /^(?:SCAN|SEARCH) (\w+)/.exec(d)?.[1] ?? [])
  // Sorting a small table's rows is as cheap as reading them.
  const small = tables.length > 0 && tables.every((t) => t in SMALL_TABLES)
  const problems: string[] = []
  for (const detail of plan) {
    if (/USE TEMP B-TREE/.test(detail) && !small) problems.push(detail)
    const scan = /^SCAN (\w+)(?: USING (?:COVERING )?INDEX (\w+))?/.exec(detail)
    if (scan) {
      const [, table, index] = scan
      if (table! in SMALL_TABLES) continue
      if (index !== undefined && isPartial(db, index)) continue // holds only the rows asked for
      problems.push(detail)
    }
    const search =
      /^SEARCH (\w+) USING (?:(?:COVERING )?INDEX (\w+)|(?:INTEGER )?PRIMARY KEY) \((.*)\)$/.exec(detail)
    if (search) {
      const [, table, index, constraint] = search
      const used = new Set([...constraint!.matchAll(/(\w+)[=<>]/g)].map((m) => m[1]!))
      const columns = columnsOf(db, table!)
      const left = [...equal].filter((c) => !used.has(c) && (columns.has(c) || c === 'rowid'))
      if (left.length > 0 && !uniqueAndGiven(db, table!, index, used)) {
        problems.push(`${detail}: ${left.join(', ')} checked row by row`)
      }
    }
  }
  return problems
}

function isPartial(db: Database, index: string): boolean {
  const row = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?").get(index) as
    { sql: string | null } | undefined
  return row?.sql != null && / WHERE /i.test(row.sql)
}

function columnsOf(db: Database, table: string): Set<string> {
  return new Set((db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name))
}

/** The index (or primary key) is unique and every one of its columns is given: one row at most. */
function uniqueAndGiven(db: Database, table: string, index: string | undefined, used: Set<string>): boolean {
  if (index === undefined) {
    if (used.has('rowid')) return true
    const pk = (db.pragma(`table_info(${table})`) as { name: string; pk: number }[]).filter((c) => c.pk > 0)
    return pk.length > 0 && pk.every((c) => used.has(c.name))
  }
  const list = db.pragma(`index_list(${table})`) as { name: string; unique: number }[]
  if (list.find((i) => i.name === index)?.unique !== 1) return false
  return (db.pragma(`index_info(${index})`) as { name: string }[]).every((c) => used.has(c.name))
}

const tempDir = useTempDirs()

describe('query plans of the trading domain', () => {
  it('every statement run while trading is served by an index that fits it', async () => {
    const dir = tempDir()
    const clock = new ManualClock()
    const prices = new Prices()
      .set('BTC/USDT', { bid: 99, ask: 100, last: 99.5 })
      .set('ETH/USDT', { bid: 9, ask: 10, last: 9.5 })
    const exchange = fakeExchange(join(dir, 'exchange'), clock, prices)
    const faulty = new FaultyVenue(exchange.venue, 5_000)
    const db = openTradingDb(join(dir, 'app'))
    const { seen, prepare } = recordStatements(db)
    const svc = service(db, clock, prices, { liveVenue: () => faulty, coalesceMs: 0 })
    const off = svc.subscribe(undefined, () => undefined)
    const P = 'demo-paper'
    const settle = () => new Promise((r) => setTimeout(r, 5))

    // Paper: every order type, a batch, a price move filling a resting limit, a cancel.
    await svc.start()
    await svc.placeOrder({ accountId: P, symbol: 'BTC/USDT', side: 'buy', type: 'market', amount: '1' })
    const resting = await svc.placeOrder({
      accountId: P,
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'limit',
      amount: '1',
      price: '90',
    })
    await svc.placeOrder({
      accountId: P,
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'limit',
      amount: '1',
      price: '95',
    })
    await svc.placeOrder({
      accountId: P,
      symbol: 'BTC/USDT',
      side: 'sell',
      type: 'stop',
      amount: '0.5',
      stopPrice: '80',
    })
    svc.placeOrders(P, [{ symbol: 'ETH/USDT', side: 'buy', type: 'market', amount: '1' }])
    prices.set('BTC/USDT', { bid: 93, ask: 94, last: 93.5 })
    svc.tickPaper()
    await svc.cancelOrder(P, resting.clientOrderId)
    // What the blotter asks for after each change.
    svc.orders(P, { limit: 200 })
    svc.fills(P, { limit: 500 })
    await svc.positions(P, true)
    await svc.balances(P)
    svc.events(P, { limit: 100 })
    await svc.reconcile(P)
    await settle()

    // Live: a fill, a resting order, an answer lost and looked up, polling, reconciliation.
    await svc.saveAccount({
      id: 'live',
      name: 'Binance',
      mode: 'live',
      exchangeId: 'binance',
      liveEnabled: true,
      apiKey: 'k'.repeat(64),
      secret: 's'.repeat(64),
      checkKeys: true,
    })
    const live = { accountId: 'live', symbol: 'BTC/USDT', side: 'buy' as const, confirm: true }
    await svc.placeOrder({ ...live, type: 'market', amount: '0.1' })
    const open = await svc.placeOrder({ ...live, type: 'limit', amount: '0.1', price: '50' })
    faulty.createFaults.push('answer-lost')
    await svc.placeOrder({ ...live, type: 'market', amount: '0.1' })
    clock.advance(1_000)
    await svc.checkUnknown()
    await svc.syncLive('live')
    await svc.reconcile('live')
    await svc.cancelOrder('live', open.clientOrderId)
    svc.orders('live', { limit: 200 })
    await svc.balances('live')
    svc.deleteAccount('live', { dryRun: true })
    svc.resetPaper(P, {})
    await settle()
    off()
    svc.close()

    const statements = [...seen.values()].filter((s) => /^\s*(SELECT|UPDATE|DELETE|WITH)\b/i.test(s.sql))
    expect(statements.length).toBeGreaterThan(40)
    const bad: string[] = []
    for (const s of statements) {
      const problems = planProblems(db, prepare, s)
      if (problems.length === 0) continue
      if (ACCEPTED.some((a) => a.sql.test(oneLine(s.sql)))) continue
      bad.push(`${oneLine(s.sql)}\n    ${problems.join('\n    ')}`)
    }
    expect(bad, bad.join('\n')).toEqual([])
    // Each accepted exception is still run: the list names real statements, not old ones.
    for (const a of ACCEPTED)
      expect(
        statements.some((s) => a.sql.test(oneLine(s.sql))),
        a.why,
      ).toBe(true)
  })
})
