import { AppError } from '../../shared/contract/errors'
import type { journalContract } from '../../shared/contract/journal'
import type { Clock } from '../clock'
import type { Domain } from '../domain'
import type { Logger } from '../log'
import type { Db } from '../storage/database'
import { computeAnalytics } from './analytics'
import { Journal } from './journal'
import type { FillEvents, JournalAccounts, JournalCandles, JournalOrders, JournalSignals } from './ports'
import { matches, sortTrades, totals } from './query'
import { computeSummary } from './summary'
import { NO_EDIT } from './trade'
import { UnusualTrades } from './unusual'

export interface JournalDomainDeps {
  db: Db
  clock: Clock
  log: Logger
  /** The trading domain's new fills. */
  fills: FillEvents
  accounts: JournalAccounts
  orders: JournalOrders
  candles: JournalCandles
  signals: JournalSignals
}

export interface JournalDomain extends Domain<typeof journalContract> {
  readonly journal: Journal
}

/** How far around a trade its chart reaches, in bars of the finest timeframe. */
const CHART_MARGIN_BARS = 60
const CHART_MAX_BARS = 2_000
/** How long after start-up the journal copies the fills recorded while it was not listening. */
export const CATCH_UP_DELAY_MS = 1_000

/**
 * The trade journal (docs/JOURNAL.md): round-trip trades from every account's fills, kept as
 * fills arrive, with the trader's notes, tags, rating and stop. It listens to trading's fills
 * from `start` to `close`; at start it copies the fills recorded while it was not listening.
 */
export function createJournalDomain(deps: JournalDomainDeps): JournalDomain {
  const journal = new Journal(deps)
  const unusual = new UnusualTrades(() => journal.all())
  const offUnusual = journal.subscribe((c) => unusual.changed(c.type === 'trades' ? c.trades : null))
  let off: (() => void) | null = null
  let catchUp: NodeJS.Timeout | undefined
  const filtered = (filter: Parameters<typeof matches>[1]) =>
    [...journal.all()].filter((t) => matches(t, filter))
  return {
    name: 'journal',
    journal,
    start() {
      off = deps.fills.onFill((fill) => {
        try {
          journal.onFill(fill)
        } catch (err) {
          deps.log.error('journal: a fill could not be added', { err, tradeId: fill.tradeId })
        }
      })
      // After start-up, not during it, and a slice at a time (Journal.catchUpInSlices says what
      // happens when): copying and matching fills recorded while the journal was not listening
      // (the first start after an upgrade, a CLI import) is ~2 s of work on a book of 100,000
      // fills, which in one piece kept the host from answering (issue 12, finding 8). Fills that
      // arrive meanwhile are copied at once and their pairs rebuilt when it ends, so none is lost.
      catchUp = setTimeout(() => {
        journal.catchUpInSlices().catch((err: unknown) => {
          deps.log.error('journal: catching up with recorded fills failed', { err })
        })
      }, CATCH_UP_DELAY_MS)
    },
    close() {
      clearTimeout(catchUp)
      offUnusual()
      off?.()
      off = null
    },
    handlers: {
      'journal.list': ({ filter, sort, offset, limit }) => {
        const rows = filtered(filter)
        const sorted = sortTrades(rows, sort?.column ?? 'entryTime', sort?.dir ?? 'desc')
        const page = sorted.slice(offset, offset + limit)
        const flags: Record<string, NonNullable<ReturnType<typeof unusual.flagOf>>> = {}
        for (const t of page) {
          const flag = unusual.flagOf(t)
          if (flag) flags[t.key] = flag
        }
        return { trades: page, totals: totals(rows), unusual: flags }
      },
      'journal.get': ({ key }) => {
        const found = journal.get(key)
        if (!found) throw new AppError('not_found', `No trade ${key} in the journal`, 'params.key')
        const { trade, stored, source } = found
        const window = deps.candles.finest(
          source,
          trade.symbol,
          trade.entryTime,
          trade.exitTime ?? deps.clock.now(),
        )
        let chart = null
        if (window) {
          // Bars before and after the trade, so the entry and exit sit inside the picture.
          const step = window.candles.length > 1 ? window.candles[1]!.time - window.candles[0]!.time : 60_000
          const from = trade.entryTime - CHART_MARGIN_BARS * step
          const to = Math.min(
            deps.clock.now(),
            (trade.exitTime ?? deps.clock.now()) + CHART_MARGIN_BARS * step,
          )
          const wide = deps.candles.finest(source, trade.symbol, from, to) ?? window
          chart = {
            timeframe: wide.timeframe,
            candles: wide.candles
              .slice(-CHART_MAX_BARS)
              .map((c) => ({ time: c.time, open: c.open, high: c.high, low: c.low, close: c.close })),
          }
        }
        return { trade, fills: stored.fills, chart, unusual: unusual.flagOf(trade) }
      },
      'journal.update': ({ key, notes, tags, rating, stopPrice }) => {
        const before = journal.editOf(key) ?? NO_EDIT
        if (tags) {
          const seen = new Set<string>()
          for (const [i, t] of tags.entries()) {
            const id = `${t.kind}:${t.name.toLowerCase()}`
            if (seen.has(id))
              throw new AppError('validation', `tag "${t.name}" is given twice`, `params.tags.${i}`)
            seen.add(id)
          }
        }
        const trade = journal.edit(key, {
          notes: notes ?? before.notes,
          tags: tags ?? before.tags,
          rating: rating === undefined ? before.rating : rating,
          stopPrice: stopPrice === undefined ? before.stopPrice : stopPrice,
        })
        if (!trade) throw new AppError('not_found', `No trade ${key} in the journal`, 'params.key')
        return trade
      },
      'journal.analytics': ({ filter, timeZone, quote }) =>
        computeAnalytics(filtered(filter), { timeZone, quote }),
      'journal.summary': ({ timeZone, points }) =>
        computeSummary([...journal.all()], { timeZone, now: deps.clock.now(), points }),
      'journal.rebuild': ({ method }) => {
        const r = journal.rebuild(method)
        return { ...r, method: journal.matching }
      },
      'journal.settings': () => ({ method: journal.matching }),
      'journal.updates': (_params, sink) => journal.subscribe((c) => sink.emit(c)),
    },
  }
}
