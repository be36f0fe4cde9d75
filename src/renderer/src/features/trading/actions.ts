import type { AppErrorShape, Result } from '../../../../shared/contract/errors'
import type { StartingBalance } from '../../../../shared/domain/starting-balances'
import type { Order, TradingUpdate } from '../../../../shared/domain/trading'
import { client, onReconnected } from '../../connection'
import { notify, reportError } from '../notices/store'
import { useShellStore } from '../shell/store'
import { useTradeStore } from '../trade/store'
import { blockedVerdict, followMarket, ticketMarketNow, unfollowMarket } from './account-market'
import { describeOrder, formatQty } from './format'
import {
  answerLost,
  answerMayBeLost,
  lookUpLost,
  lostOrderSeen,
  submissionId,
  submissionSettled,
} from './submission'
import {
  EMPTY_FORM,
  LISTS,
  buildRequest,
  isOcoRequest,
  initialAccountData,
  requestSig,
  splitSymbol,
  ticketVerdict,
  useTradingStore,
  type BlotterTab,
  type ListName,
  type TicketForm,
  type TicketRequest,
  type TicketVerdict,
} from './store'

const get = useTradingStore.getState
const set = useTradingStore.setState

const ACCOUNT_KEY = 'candlework.trading.account.v1'
/** The built-in paper account (the engine's DEFAULT_ACCOUNT_ID): always there, never deleted. */
export const DEMO_ACCOUNT_ID = 'demo-paper'
/** Typing pauses this long before the engine is asked to check the order. */
const VALIDATE_DEBOUNCE_MS = 200
/** Updates arriving within this window are answered with one fetch per affected list. */
const REFRESH_COALESCE_MS = 60
const FILLS_LIMIT = 200
const ORDERS_LIMIT = 200

/** Bumped whenever the panel opens or closes: answers for an earlier session are dropped. */
let session = 0
/** Bumped whenever the watched account changes: answers for another account are dropped. */
let accountSeq = 0
let stopUpdates: (() => void) | null = null
const dirty = new Set<ListName>()
let refreshTimer: ReturnType<typeof setTimeout> | undefined
let validateTimer: ReturnType<typeof setTimeout> | undefined
/** The last failure of `trading.validateOrder` itself, reported once until it changes. */
let lastCheckFailure: string | null = null
/**
 * After an order is placed the ticket keeps its amount (to trade it again), but the balances
 * move: the first check after they are fetched again decides whether it still stands. If it no
 * longer does (sold everything, spent the quote), the amount is cleared rather than shown as an
 * error the trader did not make. `placed`: waiting for the balances; `armed`: the next check decides.
 */
let keptAmount: 'placed' | 'armed' | null = null

// ------------------------------------------------------------------ accounts and lists

/**
 * Opens the trading panel's feeds: the accounts, then the chosen account's orders, fills,
 * positions, balances and reconciliation events, kept current from `trading.updates`.
 * Returns what closes them.
 */
export function openTrading(): () => void {
  const mine = ++session
  void loadAccounts(mine)
  // `trading.updates` comes back by itself; what changed while away is fetched again.
  const offReconnected = onReconnected(() => {
    if (mine !== session) return
    refreshAll()
    // Orders whose answer was lost while the link was down are looked up by their ids now.
    lookUpLost()
  })
  return () => {
    offReconnected()
    if (mine !== session) return
    session++
    accountSeq++
    stopWatching()
    clearTimeout(validateTimer)
  }
}

export async function loadAccounts(mine = session): Promise<void> {
  set({ accountsState: 'loading' })
  const res = await client().invoke('trading.accounts', {})
  if (mine !== session) return
  if (!res.ok) {
    set({ accountsState: 'error' })
    reportError('Could not load the trading accounts', res.error, {
      label: 'Retry',
      run: () => void loadAccounts(),
    })
    return
  }
  const accounts = res.value
  set({ accounts, accountsState: 'ready' })
  const wanted = get().accountId ?? readAccount()
  const chosen =
    accounts.find((a) => a.id === wanted) ?? accounts.find((a) => a.id === DEMO_ACCOUNT_ID) ?? accounts[0]
  if (chosen) watchAccount(chosen.id)
}

/** Switches the panel to another account (the ticket keeps what was typed). */
export function chooseAccount(accountId: string): void {
  if (accountId === get().accountId && stopUpdates) return
  if (!get().accounts.some((a) => a.id === accountId)) return
  saveAccount(accountId)
  watchAccount(accountId)
}

function watchAccount(accountId: string): void {
  stopWatching()
  const mine = ++accountSeq
  const lists = { ...initialAccountData().lists }
  for (const l of LISTS) lists[l] = 'loading'
  set({
    accountId,
    ...initialAccountData(),
    lists,
    outcome: null,
    confirm: null,
    resetOpen: false,
    closing: null,
  })
  // Subscribe first: a change that happens while the lists load is then refetched, not lost.
  stopUpdates = client().subscribe(
    'trading.updates',
    { accountId },
    (u) => {
      if (mine === accountSeq) onUpdate(u)
    },
    (error) => {
      if (error && mine === accountSeq) reportStreamEnd('Live order and position updates stopped', error)
    },
  )
  for (const l of LISTS) void fetchList(l, mine)
  // The account's own market: what the trade view lists and charts, and the ticket trades.
  followMarket(accountId, () => scheduleValidate(0))
  scheduleValidate(0)
}

function stopWatching(): void {
  unfollowMarket()
  stopUpdates?.()
  stopUpdates = null
  dirty.clear()
  clearTimeout(refreshTimer)
  refreshTimer = undefined
}

function onUpdate(u: TradingUpdate): void {
  switch (u.type) {
    case 'order':
      markDirty('orders')
      lostOrderSeen(u.order)
      break
    case 'fill':
      markDirty('fills')
      markDirty('positions')
      break
    case 'positions':
      markDirty('positions')
      break
    case 'balance':
      markDirty('balances')
      break
    case 'accountRemoved':
      // Deleted here or elsewhere (another window, a script); idempotent.
      accountGone(u.accountId)
      break
    case 'reconciliation':
      markDirty('events')
      if (get().tab !== 'events') set((s) => ({ unseenEvents: s.unseenEvents + 1 }))
      notify('warning', `Reconciliation: ${u.event.symbol ?? u.accountId}`, u.event.detail, {
        label: 'Show',
        run: () => showTab('events'),
      })
      break
  }
}

/** Coalesces updates: every list they touched is fetched once, shortly after the burst. */
function markDirty(list: ListName): void {
  dirty.add(list)
  refreshTimer ??= setTimeout(() => {
    refreshTimer = undefined
    const lists = [...dirty]
    dirty.clear()
    for (const l of lists) void fetchList(l, accountSeq)
  }, REFRESH_COALESCE_MS)
}

/** Re-fetches every list of the selected account now. */
export function refreshAll(): void {
  for (const l of LISTS) void fetchList(l, accountSeq)
}

/** Answers per list arrive in any order: only the newest request of each list may write. */
const listSeq: Record<ListName, number> = { orders: 0, fills: 0, positions: 0, balances: 0, events: 0 }

async function fetchList(list: ListName, mine: number): Promise<void> {
  const accountId = get().accountId
  if (accountId === null) return
  const n = ++listSeq[list]
  const fresh = (): boolean => mine === accountSeq && n === listSeq[list]
  const failed = (what: string, error: AppErrorShape): void => {
    if (error.kind === 'not_found' && error.path === 'params.accountId') {
      // Deleted (from another window, say): back to the accounts there are, on Demo paper.
      if (mine === accountSeq) accountGone(accountId)
      return
    }
    set((s) => ({ lists: { ...s.lists, [list]: 'error' } }))
    reportError(`Could not load the ${what}`, error, { label: 'Retry', run: () => refreshAll() })
  }
  const ready = (): void => set((s) => ({ lists: { ...s.lists, [list]: 'ready' } }))
  switch (list) {
    case 'orders': {
      const res = await client().invoke('trading.orders', { accountId, limit: ORDERS_LIMIT })
      if (!fresh()) return
      if (!res.ok) return failed('orders', res.error)
      set({ orders: res.value })
      // An order that is gone cannot still be cancelling.
      set((s) => ({ cancelling: s.cancelling.filter((id) => res.value.some((o) => o.clientOrderId === id)) }))
      return ready()
    }
    case 'fills': {
      const res = await client().invoke('trading.fills', { accountId, limit: FILLS_LIMIT })
      if (!fresh()) return
      if (!res.ok) return failed('fills', res.error)
      set({ fills: res.value })
      return ready()
    }
    case 'positions': {
      const res = await client().invoke('trading.positions', { accountId, includeFlat: true })
      if (!fresh()) return
      if (!res.ok) return failed('positions', res.error)
      set({ positions: res.value })
      return ready()
    }
    case 'balances': {
      const res = await client().invoke('trading.balances', { accountId })
      if (!fresh()) return
      if (!res.ok) return failed('balances', res.error)
      set({ balances: res.value })
      if (keptAmount === 'placed') keptAmount = 'armed'
      scheduleValidate(keptAmount === 'armed' ? 0 : VALIDATE_DEBOUNCE_MS)
      return ready()
    }
    case 'events': {
      const res = await client().invoke('trading.reconciliationEvents', { accountId, limit: 100 })
      if (!fresh()) return
      if (!res.ok) return failed('reconciliation events', res.error)
      set({ events: res.value })
      return ready()
    }
  }
}

export function showTab(tab: BlotterTab): void {
  set(tab === 'events' ? { tab, unseenEvents: 0 } : { tab })
}

// ------------------------------------------------------------------ the ticket

/** Opens or folds the ticket column (the trader's choice wins over the window's width). */
export function setTicketOpen(open: boolean): void {
  set({ ticketPref: open ? 'open' : 'closed' })
}

/** F9 (as in most trading terminals): open the ticket and put the cursor in its size field. */
export function onTicketShortcut(e: KeyboardEvent): void {
  if (e.key !== 'F9' || e.altKey || e.ctrlKey || e.metaKey) return
  e.preventDefault()
  set({ ticketPref: 'open' })
  requestAnimationFrame(() => document.getElementById('tk-size')?.focus())
}

/** The symbol the ticket trades: the chart's. */
export function ticketSymbol(): string | null {
  return useTradeStore.getState().selected?.symbol ?? null
}

function currentRequest(): TicketRequest | null {
  return buildRequest(get().accountId, ticketSymbol(), get().form).request
}

/** Changes fields of the ticket; the engine checks the result shortly after typing stops. */
export function editTicket(patch: Partial<TicketForm>): void {
  keptAmount = null
  set((s) => ({ form: { ...s.form, ...patch }, outcome: null }))
  scheduleValidate(VALIDATE_DEBOUNCE_MS)
}

export function resetTicket(): void {
  set((s) => ({ form: { ...EMPTY_FORM, side: s.form.side, type: s.form.type }, outcome: null }))
  scheduleValidate(0)
}

/** The chart's symbol changed: the ticket's numbers belong to the old one. */
export function ticketSymbolChanged(): void {
  set((s) => ({ form: { ...s.form, price: '', stopPrice: '' }, outcome: null }))
  scheduleValidate(0)
}

export function scheduleValidate(ms: number): void {
  clearTimeout(validateTimer)
  const req = currentRequest()
  // Nothing to ask the engine while the account's market cannot take the order (the ticket says why).
  if (req === null || ticketMarketNow().block !== null) {
    set({ check: { state: 'idle', sig: '', result: null } })
    return
  }
  const sig = requestSig(req)
  set((s) => ({ check: { state: 'checking', sig, result: s.check.sig === sig ? s.check.result : null } }))
  validateTimer = setTimeout(() => void validate(req, sig), ms)
}

async function validate(req: TicketRequest, sig: string): Promise<void> {
  const decides = keptAmount === 'armed'
  const res = isOcoRequest(req)
    ? await client().invoke('trading.validateOco', req)
    : await client().invoke('trading.validateOrder', req)
  if (get().check.sig !== sig) return
  if (decides && keptAmount === 'armed') {
    keptAmount = null
    const path = res.ok ? res.value.error?.path : undefined
    if (res.ok && !res.value.valid && (path === 'params.amount' || path === 'params.notional')) {
      // The kept amount no longer fits (the fill moved the balances): cleared, the fill stays shown.
      set((s) => ({ form: { ...s.form, size: '' }, check: { state: 'idle', sig: '', result: null } }))
      return
    }
  }
  if (!res.ok) {
    // The engine could not check it at all (unreachable exchange, unknown account): say so in
    // the ticket, and once (not on every keystroke) on the notice surface.
    set({ check: { state: 'done', sig, result: { valid: false, order: null, error: res.error } } })
    if (res.error.message !== lastCheckFailure) {
      lastCheckFailure = res.error.message
      reportError('Could not check the order', res.error)
    }
    return
  }
  lastCheckFailure = null
  set({ check: { state: 'done', sig, result: res.value } })
}

/**
 * Submits the ticket. Paper orders go straight to the engine; a live account's order first
 * opens the confirmation, and only `confirmLive` sends it, with `confirm: true`.
 */
export function submitTicket(): void {
  const s = get()
  if (s.submitting || s.confirm) return
  const req = currentRequest()
  // Enter in a field submits the form: the same rule as the disabled button.
  if (req === null || currentVerdict().state !== 'valid') return
  const account = s.accounts.find((a) => a.id === req.accountId)
  if (account?.venue === 'live') {
    set({ confirm: req })
    return
  }
  void place(req)
}

export function confirmLive(): void {
  const req = get().confirm
  if (!req) return
  set({ confirm: null })
  void place({ ...req, confirm: true })
}

export function cancelConfirm(): void {
  set({ confirm: null })
}

/** Places an order (a bracket's legs come with it) or an OCO; an OCO is shown by its take-profit leg. */
async function invokePlace(req: TicketRequest): Promise<Result<Order>> {
  if (!isOcoRequest(req)) return client().invoke('trading.placeOrder', req)
  const res = await client().invoke('trading.placeOco', req)
  if (!res.ok) return res
  const [first] = res.value
  return first
    ? { ok: true, value: first }
    : { ok: false, error: { kind: 'internal', message: 'The OCO came back without its legs' } }
}

/**
 * Sends the ticket's order under the submission's id (submission.ts): made at the first submit,
 * re-used while the same request's outcome is open, so sending it again can never double it.
 * An OCO is two orders named by the engine; it is sent as it is.
 */
async function place(ticketReq: TicketRequest): Promise<void> {
  const mine = accountSeq
  const named = isOcoRequest(ticketReq) ? null : { ...ticketReq, clientOrderId: submissionId(ticketReq) }
  const req = named ?? ticketReq
  set({ submitting: true, outcome: null })
  const res = await invokePlace(req)
  set({ submitting: false })
  const precision = pricePrecision(req.symbol)
  if (!res.ok) {
    // No answer is not a refusal: the order may exist. It is looked up, never shown as rejected.
    if (named && answerMayBeLost(res.error)) return answerLost(named, res.error)
    if (named) submissionSettled(named.clientOrderId)
    if (mine === accountSeq)
      set({ outcome: { kind: 'rejected', message: res.error.message, errorKind: res.error.kind } })
    reportError(`${req.side === 'buy' ? 'Buy' : 'Sell'} ${req.symbol} rejected`, res.error)
    return
  }
  const order = res.value
  // An order the engine is still looking up on the exchange keeps its id for a retry.
  if (order.status !== 'unknown') submissionSettled(order.clientOrderId)
  if (mine === accountSeq && order.status !== 'rejected') keptAmount = 'placed'
  if (mine === accountSeq) {
    set({
      outcome:
        order.status === 'rejected' && order.error
          ? { kind: 'rejected', message: order.error.message, errorKind: order.error.kind }
          : { kind: 'placed', order },
    })
  }
  if (order.status === 'rejected') {
    reportError(
      `${order.side === 'buy' ? 'Buy' : 'Sell'} ${order.symbol} rejected`,
      order.error ?? { kind: 'invalid_order', message: 'The exchange rejected the order' },
    )
  } else if (order.status === 'unknown') {
    notify(
      'warning',
      'Order outcome unknown',
      `${describeOrder(order, precision)}: the exchange did not answer in time. It will not be sent again; Candlework is looking it up.`,
    )
  } else {
    notify('info', orderHeadline(order), describeOrder(order, precision))
  }
  if (mine === accountSeq) {
    markDirty('orders')
    markDirty('fills')
    markDirty('positions')
    markDirty('balances')
  }
}

function orderHeadline(o: Order): string {
  switch (o.status) {
    case 'filled':
      return 'Order filled'
    case 'partially_filled':
      return 'Order partially filled'
    case 'open':
      return 'Order placed'
    default:
      return `Order ${o.status.replace('_', ' ')}`
  }
}

/** The ticket's verdict as the ticket shows it (see `ticketVerdict`). */
export function currentVerdict(): TicketVerdict {
  const market = ticketMarketNow()
  if (market.block !== null) return blockedVerdict(market.block)
  const symbol = useTradeStore.getState().selected?.symbol ?? null
  return ticketVerdict(buildRequest(get().accountId, symbol, get().form), get().check, {
    last: market.last,
    precision: market.precision,
    quote: symbol ? splitSymbol(symbol).quote : '',
  })
}

export function pricePrecision(symbol: string): number {
  const { symbols, selected } = useTradeStore.getState()
  const mine =
    symbols.find((s) => s.symbol === symbol && s.source === selected?.source) ??
    symbols.find((s) => s.symbol === symbol)
  return mine?.pricePrecision ?? 2
}

// ------------------------------------------------------------------ orders and the account

export async function cancelOrder(order: Order): Promise<void> {
  const id = order.clientOrderId
  if (get().cancelling.includes(id)) return
  set((s) => ({ cancelling: [...s.cancelling, id] }))
  const res = await client().invoke('trading.cancelOrder', { accountId: order.accountId, clientOrderId: id })
  if (!res.ok) {
    set((s) => ({ cancelling: s.cancelling.filter((x) => x !== id) }))
    reportError(`Could not cancel the ${order.symbol} ${order.type} order`, res.error)
    return
  }
  markDirty('orders')
  markDirty('balances')
}

export function openReset(open: boolean): void {
  set({ resetOpen: open })
}

/**
 * Resets the selected paper account (after the trader confirmed) to `startingBalances`, which it
 * keeps from then on, or to the ones it has. Answers with the engine's refusal, if any, for the
 * dialog to show beside the balances.
 */
export async function resetPaper(startingBalances?: StartingBalance[]): Promise<AppErrorShape | null> {
  const account = get().accounts.find((a) => a.id === get().accountId)
  if (!account || account.venue !== 'paper') {
    set({ resetOpen: false })
    return null
  }
  const res = await client().invoke('trading.resetPaper', {
    accountId: account.id,
    ...(startingBalances ? { startingBalances } : {}),
  })
  if (!res.ok) {
    if (res.error.kind !== 'validation') reportError(`Could not reset "${account.name}"`, res.error)
    return res.error
  }
  set({ resetOpen: false })
  const cash = res.value.map((b) => `${formatQty(b.total, b.decimals)} ${b.asset}`).join(', ')
  notify('info', `"${account.name}" reset`, `Orders and fills cleared; balance ${cash}.`)
  set({ outcome: null })
  refreshAll()
  return null
}

/** Reconciles the selected account with its exchange now. */
export async function reconcileNow(): Promise<void> {
  const accountId = get().accountId
  if (accountId === null) return
  const res = await client().invoke('trading.reconcile', { accountId })
  if (!res.ok) {
    reportError('Reconciliation failed', res.error)
    return
  }
  const { resolved, stillUnknown, events } = res.value
  notify(
    'info',
    'Reconciled',
    events.length === 0 && resolved === 0
      ? 'Orders and fills agree with the exchange.'
      : `${events.length} difference${events.length === 1 ? '' : 's'} recorded, ${resolved} unknown order${resolved === 1 ? '' : 's'} resolved${stillUnknown > 0 ? `, ${stillUnknown} still unknown` : ''}.`,
  )
  refreshAll()
}

/** An account no longer exists: out of the list, and the panel falls back to Demo paper if it was shown. */
export function accountGone(accountId: string): void {
  set((s) => ({ accounts: s.accounts.filter((a) => a.id !== accountId) }))
  if (get().accountId !== accountId) return
  const fallback = get().accounts.find((a) => a.id === DEMO_ACCOUNT_ID) ?? get().accounts[0]
  if (fallback) {
    saveAccount(fallback.id)
    watchAccount(fallback.id)
  } else {
    void loadAccounts()
  }
}

// ------------------------------------------------------------------ helpers

function readAccount(): string | null {
  try {
    return localStorage.getItem(ACCOUNT_KEY)
  } catch {
    return null
  }
}

function saveAccount(id: string): void {
  try {
    localStorage.setItem(ACCOUNT_KEY, id)
  } catch {
    // Storage may be unavailable; the choice just won't survive a restart.
  }
}

/**
 * A stream that ends because the whole connection dropped is already reported by the shell
 * (one "disconnected" notice); report only streams that end on their own.
 */
function reportStreamEnd(title: string, error: AppErrorShape): void {
  queueMicrotask(() => {
    if (useShellStore.getState().connection !== 'closed') reportError(title, error)
  })
}
