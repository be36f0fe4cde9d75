import { AppError } from '../../shared/contract/errors'
import type { Fill, ReconciliationEvent } from '../../shared/domain/trading'
import type { ReconcileSummary } from '../../shared/contract/trading'
import { statusOf, type OrderPath } from './order-path'
import {
  earliestOrderTime,
  getOrderRow,
  getOrderRowByExchangeId,
  getOrderState,
  latestFillTime,
  orderedSymbols,
  orderRefsWithStatus,
  ordersWithStatus,
  type OrderState,
} from './store'
import { isLocalVenue, type TradingVenue, type VenueOrder } from './venue'
import { nextTurn } from '../next-turn'

export interface ReconcileOptions {
  /** How far before the newest recorded fill to look again for trades (default 60 s). */
  fillOverlapMs?: number
  /** How far back to look for trades when a symbol has no recorded fill (default 7 days, Binance's limit). */
  maxLookbackMs?: number
  /**
   * True once the engine is closing: the work stops at its next turn of the event loop (with
   * `engine closing`) instead of reading a database about to close.
   */
  stopped?: () => boolean
}

/**
 * Brings our record of an account in line with the exchange, recording every difference in
 * `reconciliation_events`:
 * 1. intents left `pending`/`sent` by a previous run become `unknown`; every unknown order is
 *    looked up (found -> adopted, `intent_resolved`; provably absent -> `not_placed`,
 *    `intent_not_placed`; otherwise it stays unknown for the periodic checker);
 * 2. every open order on the exchange is matched to ours by client order id or exchange id;
 *    one we lack is recorded as external (`unknown_order`); a differing state is adopted
 *    (`state_mismatch`);
 * 3. every order we believe open that the exchange does not list as open is fetched and its
 *    real state adopted (`state_mismatch`);
 * 4. trades of every symbol we have ordered are fetched from just before our newest fill and
 *    each one we lack is recorded (`missed_fill`). Not for a local venue (paper): its trades
 *    are rows of our own fills table, so there is nothing to compare.
 *
 * It runs at start-up, with the host's event loop: the open orders are worked through in
 * chunks of `CHUNK`, one transaction each, with a turn of the event loop between two (so the
 * host keeps answering, /healthz included, while a book of thousands is checked), and an order
 * the venue reports exactly as we hold it costs no write.
 */
export async function reconcileAccount(
  path: OrderPath,
  venue: TradingVenue,
  accountId: string,
  opts: ReconcileOptions = {},
): Promise<ReconcileSummary> {
  const { db } = path
  const overlap = opts.fillOverlapMs ?? 60_000
  const lookback = opts.maxLookbackMs ?? 7 * 24 * 3600_000
  const events: ReconciliationEvent[] = []
  const collect = captureEvents(path, accountId, events)
  const stopIfClosing = (): void => {
    if (opts.stopped?.()) throw new AppError('unavailable', 'engine closing')
  }
  const turn = async (): Promise<void> => {
    await nextTurn()
    stopIfClosing()
  }
  try {
    // At start-up the host is not listening yet: a turn of the event loop first lets it.
    await turn()
    // 1. unknown outcomes
    path.adoptOrphans(accountId, venue.recvWindowMs)
    let resolved = 0
    for (const row of ordersWithStatus(db, accountId, ['unknown'])) {
      if (path.isInFlight(accountId, row.client_order_id)) continue
      stopIfClosing()
      const order = await path.resolve(venue, accountId, row.client_order_id)
      if (order.status !== 'unknown') resolved++
    }

    // 2. the exchange's open orders (a local venue's a page at a time)
    const openIds = new Set<string>()
    const openSymbols = new Set<string>()
    const adoptOpen = (page: readonly VenueOrder[]): void => {
      for (const vo of page) {
        openIds.add(`${vo.symbol}\u0000${vo.id}`)
        openSymbols.add(vo.symbol)
      }
      path.tx(() => {
        for (const vo of page) {
          // The state first (a few columns): most orders agree, and need nothing more.
          const state = vo.clientOrderId !== null ? getOrderState(db, accountId, vo.clientOrderId) : undefined
          if (state && agrees(state, vo) && !path.isInFlight(accountId, state.client_order_id)) continue
          const row =
            (vo.clientOrderId !== null ? getOrderRow(db, accountId, vo.clientOrderId) : undefined) ??
            getOrderRowByExchangeId(db, accountId, vo.symbol, vo.id)
          if (row && (path.isInFlight(accountId, row.client_order_id) || agrees(row, vo))) continue
          const before = row?.status
          const r = path.apply(accountId, vo, row ? { expected: row } : {})
          if (row && before !== r.order.status && before !== 'sent' && before !== 'pending') {
            mismatch(path, accountId, vo, before ?? 'missing', r.order.status, r.order.clientOrderId)
          }
          missed(path, accountId, r.newFills)
        }
      })
    }
    if (isLocalVenue(venue)) {
      for (const symbol of venue.openOrderSymbolsSync()) {
        for (let after = 0; ;) {
          await turn()
          const page = venue.openOrdersPageSync(symbol, after, CHUNK)
          adoptOpen(page)
          if (page.length < CHUNK) break
          after = Number(page.at(-1)!.id)
        }
      }
    } else {
      const open = await venue.fetchOpenOrders()
      for (let i = 0; i < open.length; i += CHUNK) {
        if (i > 0) await turn()
        adoptOpen(open.slice(i, i + CHUNK))
      }
    }

    // 3. ours that the exchange no longer lists as open
    let checked = 0
    for (const ref of orderRefsWithStatus(db, accountId, ['open', 'partially_filled'])) {
      if (ref.exchange_order_id === null || openIds.has(`${ref.symbol}\u0000${ref.exchange_order_id}`))
        continue
      if (++checked % CHUNK === 0) await turn()
      const row = getOrderRow(db, accountId, ref.client_order_id)
      if (
        !row ||
        row.exchange_order_id === null ||
        (row.status !== 'open' && row.status !== 'partially_filled')
      )
        continue
      if (path.isInFlight(accountId, row.client_order_id)) continue
      let vo: VenueOrder
      try {
        vo = await venue.fetchOrder({ symbol: row.symbol, id: row.exchange_order_id })
      } catch (err) {
        if (!(err instanceof AppError) || err.kind !== 'not_found') throw err
        path.tx(() => {
          path.event(accountId, 'state_mismatch', {
            symbol: row.symbol,
            clientOrderId: row.client_order_id,
            exchangeOrderId: row.exchange_order_id,
            detail: `Order ${row.client_order_id} is ${row.status} here but the exchange does not know it; left as it is, its fills are checked below`,
          })
        })
        continue
      }
      path.tx(() => {
        const r = path.apply(accountId, vo, { expected: row })
        if (r.order.status !== row.status)
          mismatch(path, accountId, vo, row.status, r.order.status, row.client_order_id)
        missed(path, accountId, r.newFills)
      })
    }

    // 4. fills (a local venue's trades are our own fills: nothing to compare)
    const now = path.clock.now()
    const symbols = isLocalVenue(venue)
      ? new Set<string>()
      : new Set([...orderedSymbols(db, accountId), ...openSymbols])
    for (const symbol of symbols) {
      stopIfClosing()
      const newest = latestFillTime(db, accountId, symbol)
      const earliest = earliestOrderTime(db, accountId, symbol)
      const since = Math.max(now - lookback, newest !== null ? newest - overlap : (earliest ?? now) - overlap)
      await path.syncFills(venue, accountId, symbol, since, true)
    }

    const stillUnknown = ordersWithStatus(db, accountId, ['unknown']).length
    return { accountId, resolved, stillUnknown, events }
  } finally {
    collect()
  }
}

/**
 * Open orders worked through between two turns of the event loop: about 10 ms of work on a
 * modest machine, so a request arriving during start-up reconciliation (the first /healthz
 * among them) waits at most that long. 500 held the loop ~45 ms a turn.
 */
const CHUNK = 100

/** The venue reports the order exactly as we hold it, with no fills to record: nothing to adopt. */
function agrees(row: OrderState, vo: VenueOrder): boolean {
  return (
    row.exchange_order_id === vo.id &&
    row.status === statusOf(vo) &&
    row.filled === vo.filled.toString() &&
    vo.trades.length === 0
  )
}

function mismatch(
  path: OrderPath,
  accountId: string,
  vo: VenueOrder,
  before: string,
  after: string,
  clientOrderId: string,
): void {
  path.event(accountId, 'state_mismatch', {
    symbol: vo.symbol,
    clientOrderId,
    exchangeOrderId: vo.id,
    detail: `Order ${clientOrderId} was ${before} here and is ${after} on the exchange (${vo.filled.toString()} of ${vo.amount.toString()} filled, exchange status ${statusOf(vo)}); adopted the exchange's state`,
  })
}

function missed(path: OrderPath, accountId: string, fills: readonly Fill[]): void {
  for (const f of fills) {
    path.event(accountId, 'missed_fill', {
      symbol: f.symbol,
      clientOrderId: f.clientOrderId,
      exchangeOrderId: f.exchangeOrderId,
      detail: `Recorded a fill Candlework had missed: ${f.side} ${f.amount} ${f.symbol} at ${f.price} (trade ${f.tradeId})`,
    })
  }
}

/** Collects the reconciliation events written while reconciling, for the summary. */
function captureEvents(path: OrderPath, accountId: string, into: ReconciliationEvent[]): () => void {
  return path.onChange((c) => {
    if (c.type === 'reconciliation' && c.event.accountId === accountId) into.push(c.event)
  })
}
