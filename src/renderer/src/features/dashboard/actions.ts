import { slot, type Scope } from '../../sync'
import { timeZone } from '../journal/format'
import { applyTicker, barsOf, MOVER_BARS, MOVER_TIMEFRAME, moverKey, moversOf, type Mover } from './movers'
import { useDashboardStore, type OpenPosition } from './store'

const set = useDashboardStore.setState
const get = useDashboardStore.getState

/** The open Dashboard: its answers land, its streams and timers run only while it is shown. */
const shown = slot()

/** Marks move all the time, the engine sends positions only when fills change them: asked again this often. */
export const POSITIONS_REFRESH_MS = 5_000
export const HEALTH_REFRESH_MS = 10_000
/** Symbols whose bars and signals are asked for (the demo market has five; imports add more). */
const MAX_SYMBOLS = 24
const BARS_DELAY_MS = 400
const SIGNALS_DELAY_MS = 1_200
/** Signals shown: the first symbols of the list. */
const MAX_SIGNALS = 6

/**
 * While the Dashboard is shown: the journal's figures (again 300 ms after the journal changes),
 * the open positions of every trading account (again when trading reports a change, and every
 * few seconds for the marks), the symbols with their 24 h change (kept by market.tickers), their
 * hourly bars and signals, and the health summary. Alerts come from the app-wide alerts store.
 * Returns the close, which the view's effect calls.
 */
export function watchDashboard(): () => void {
  const scope = shown.open()
  void loadSummary(scope)
  scope.follow('journal.updates', {}, () => scope.later('summary', () => void loadSummary(scope), 300), {
    endTitle: 'Journal updates stopped',
  })
  void loadPositions(scope)
  scope.follow(
    'trading.updates',
    {},
    (u) => {
      if (u.type === 'positions' || u.type === 'accountRemoved')
        scope.later('positions', () => void loadPositions(scope), 300)
    },
    { endTitle: 'Live position updates stopped' },
  )
  void loadMarket(scope)
  void loadHealth(scope)
  return () => shown.close(scope)
}

async function loadSummary(scope: Scope): Promise<void> {
  const res = await scope.invoke('journal.summary', { timeZone: timeZone() }, 'summary')
  if (!res) return
  if (res.ok) set({ summary: res.value, summaryError: null })
  else set({ summaryError: res.error.message })
}

async function loadPositions(scope: Scope): Promise<void> {
  const accounts = await scope.invoke('trading.accounts', {}, 'accounts')
  if (!accounts) return
  if (!accounts.ok) {
    scope.later('positions', () => void loadPositions(scope), POSITIONS_REFRESH_MS)
    return
  }
  const trading = accounts.value.filter((a) => a.mode !== 'imported')
  const answers = await Promise.all(
    trading.map((a) => scope.invoke('trading.positions', { accountId: a.id }, `positions:${a.id}`)),
  )
  const open: OpenPosition[] = []
  answers.forEach((res, i) => {
    if (!res?.ok) return
    for (const position of res.value)
      if (position.side === 'long' || position.side === 'short')
        open.push({ accountName: trading[i]!.name, position })
  })
  if (answers.some((a) => a === null)) return
  set({ positions: open })
  scope.later('positions', () => void loadPositions(scope), POSITIONS_REFRESH_MS)
}

async function loadMarket(scope: Scope): Promise<void> {
  const res = await scope.invoke('market.symbols', {})
  if (!res?.ok) return
  const movers = moversOf(res.value).slice(0, MAX_SYMBOLS)
  set({ movers })
  scope.follow('market.tickers', {}, (t) => {
    const now = get().movers
    if (now) set({ movers: applyTicker(now, t) })
  })
  // Bars and signals cost the engine most (a symbol's first signals are ~0.3 s of its CPU): asked
  // one at a time, a moment after the view opened, so the figures above come first and a trader
  // who goes straight to the Trade view costs the engine nothing here.
  scope.later(
    'bars',
    () =>
      void (async () => {
        for (const m of movers) if (scope.active) await loadBars(scope, m)
      })(),
    BARS_DELAY_MS,
  )
  scope.later(
    'signals',
    () =>
      void (async () => {
        for (const m of movers.slice(0, MAX_SIGNALS)) if (scope.active) await loadSignal(scope, m)
      })(),
    SIGNALS_DELAY_MS,
  )
}

async function loadBars(scope: Scope, m: Mover): Promise<void> {
  const res = await scope.invoke(
    'market.candles',
    { source: m.source, symbol: m.symbol, timeframe: MOVER_TIMEFRAME, limit: MOVER_BARS },
    `bars:${moverKey(m)}`,
  )
  // A symbol without hourly bars (a daily import) has no sparkline: nothing to say about it.
  if (!res?.ok) return
  set((s) => ({ bars: { ...s.bars, [moverKey(m)]: barsOf(res.value.candles) } }))
}

async function loadSignal(scope: Scope, m: Mover): Promise<void> {
  const res = await scope.invoke(
    'signals.current',
    { source: m.source, symbol: m.symbol },
    `signal:${moverKey(m)}`,
  )
  if (!res?.ok) return
  const newest = res.value.timeframes.find((f) => f.signal !== null)?.signal ?? null
  set((s) => ({ signals: { ...s.signals, [moverKey(m)]: newest } }))
}

async function loadHealth(scope: Scope): Promise<void> {
  const res = await scope.invoke('health.summary', {}, 'health')
  if (!res) return
  if (res.ok) set({ health: res.value })
  scope.later('health', () => void loadHealth(scope), HEALTH_REFRESH_MS)
}
