import type { EventOf, StreamName } from '../../shared/contract'

/**
 * Which stream events a later one may replace while a peer is behind (see the headless host's
 * outbox). An event with a key replaces the waiting event of the same subscription and key;
 * `null` means every event counts (a fill, a closed bar, a new signal) and is never dropped.
 *
 * A state that is sent whole each time (a ticker, a forming bar, an order book, a health
 * snapshot) is coalescible: a trader wants the latest, not every step to it. Typed per stream
 * so that a new stream cannot be added without deciding.
 */
const KEYS: { [N in StreamName]: (event: EventOf<N>) => string | null } = {
  'market.tickers': (e) => `${e.source}\u0000${e.symbol}`,
  'market.liveCandle': (e) => (e.closed ? null : 'forming'),
  // "Ask the list again": one waiting nudge is as good as several.
  'market.symbolsChanged': () => 'latest',
  'charting.live': (e) => (e.closed ? null : 'forming'),
  'exchange.healthUpdates': (e) => e.exchange,
  'exchange.watchTicker': () => 'latest',
  'exchange.watchCandles': (e) => (e.closed ? null : 'forming'),
  'exchange.watchOrderBook': () => 'latest',
  'signals.updates': () => null,
  'trading.updates': () => null,
  'trading.market': () => 'latest',
  'trading.quote': () => 'latest',
  // A trade is sent whole: a later state of the same single trade replaces the earlier one.
  'journal.updates': (e) =>
    e.type === 'trades' && e.trades.length === 1 ? `trade\u0000${e.trades[0]!.key}` : null,
  // Firings and delivery results are each news; only the unread count after a markRead is a state.
  'alerts.updates': (e) => (e.type === 'read' ? 'read' : null),
  // Each event carries the whole task: the latest per task is all a peer needs.
  'scheduler.updates': (e) => (e.type === 'task' ? `task:${e.task.id}` : null),
  // Progress is a state; the final status (done, failed, cancelled) is always delivered.
  'backtest.progress': (e) => (e.status === 'running' ? 'progress' : null),
  // The whole set of preferences each time: the latest is all a window needs.
  'settings.updates': () => 'latest',
  // The whole state each time (the backup running, the restore pending): the latest is enough.
  'backup.progress': () => 'latest',
  // Each event is the whole overview or the kill switch's whole report: the latest of each suffices.
  'risk.updates': (e) => e.type,
  // A book is sent whole; trades are each news (the engine already gathers them, book/throttle.ts).
  'book.depth': () => 'latest',
  'book.trades': () => null,
  // Progress is a state; the final status (done, failed, cancelled) is always delivered.
  'backtest.optimizeProgress': (e) => (e.status === 'running' ? 'progress' : null),
  // Every list, whole, each time: the latest is all a window needs.
  'watchlists.updates': () => 'latest',
  // Rows written so far is a state; choosing and the last event (saved, dismissed, cancelled) always arrive.
  'journal.exportToFile': (e) => (e.state === 'writing' ? 'progress' : null),
}

/** The coalescing key of an event of stream `name`, or null when it must be delivered. */
export function coalesceKey(name: string, event: unknown): string | null {
  const key = Object.hasOwn(KEYS, name) ? (KEYS[name as StreamName] as (e: unknown) => string | null) : null
  if (!key) return null
  try {
    return key(event)
  } catch {
    return null // an event of an unexpected shape is simply never dropped
  }
}
