import type { AppErrorShape } from '../../../../shared/contract/errors'
import type { KeysRemoved } from '../../../../shared/contract/exchange'
import type { ParamsIn } from '../../../../shared/contract'
import type {
  Account,
  Order,
  OrderRequest,
  TradingUpdate,
  VenueKind,
} from '../../../../shared/domain/trading'
import { client, onReconnected } from '../../connection'
import { notify, reportError } from '../notices/store'
import { useShellStore } from '../shell/store'
import { selectSelectedInfo, symbolKey, useTradeStore } from '../trade/store'
import { describeOrder } from './format'
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
  initialAccountData,
  requestSig,
  splitSymbol,
  ticketVerdict,
  useTradingStore,
  EDITOR_FIELDS,
  type AccountEditor,
  type AccountsDialog as AccountsDialogState,
  type BlotterTab,
  type EditorField,
  type KeysCheck,
  type ListName,
  type TicketForm,
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
  scheduleValidate(0)
}

function stopWatching(): void {
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
    case 'position':
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

function currentRequest(): OrderRequest | null {
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
  if (req === null) {
    set({ check: { state: 'idle', sig: '', result: null } })
    return
  }
  const sig = requestSig(req)
  set((s) => ({ check: { state: 'checking', sig, result: s.check.sig === sig ? s.check.result : null } }))
  validateTimer = setTimeout(() => void validate(req, sig), ms)
}

async function validate(req: OrderRequest, sig: string): Promise<void> {
  const decides = keptAmount === 'armed'
  const res = await client().invoke('trading.validateOrder', req)
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

/**
 * Sends the ticket's order under the submission's id (submission.ts): made at the first submit,
 * re-used while the same request's outcome is open, so sending it again can never double it.
 */
async function place(ticketReq: OrderRequest): Promise<void> {
  const mine = accountSeq
  const req = { ...ticketReq, clientOrderId: submissionId(ticketReq) }
  set({ submitting: true, outcome: null })
  const res = await client().invoke('trading.placeOrder', req)
  set({ submitting: false })
  const precision = pricePrecision(req.symbol)
  if (!res.ok) {
    // No answer is not a refusal: the order may exist. It is looked up, never shown as rejected.
    if (answerMayBeLost(res.error)) return answerLost(req, res.error)
    submissionSettled(req.clientOrderId)
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
  const trade = useTradeStore.getState()
  const sel = trade.selected
  const symbol = sel?.symbol ?? null
  return ticketVerdict(buildRequest(get().accountId, symbol, get().form), get().check, {
    last: sel ? trade.tickers[symbolKey(sel.source, sel.symbol)]?.last : undefined,
    precision: selectSelectedInfo(trade)?.pricePrecision ?? 2,
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

/** Resets the selected paper account to its starting balance (after the trader confirmed). */
export async function resetPaper(): Promise<void> {
  const account = get().accounts.find((a) => a.id === get().accountId)
  set({ resetOpen: false })
  if (!account || account.venue !== 'paper') return
  const res = await client().invoke('trading.resetPaper', { accountId: account.id })
  if (!res.ok) {
    reportError(`Could not reset "${account.name}"`, res.error)
    return
  }
  const cash = res.value.map((b) => `${b.total.toLocaleString('en-US')} ${b.asset}`).join(', ')
  notify('info', `"${account.name}" reset`, `Orders and fills cleared; balance ${cash}.`)
  set({ outcome: null })
  refreshAll()
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

// ------------------------------------------------------------------ the accounts dialog

/** Bumped whenever the editor shows another account (or closes): late answers are dropped. */
let editorSeq = 0

/** Opens the accounts dialog on its list; the exchange ids for live accounts load with it. */
export function openAccounts(): void {
  editorSeq++
  set({ accountsDialog: { editor: null, liveOn: null, switching: [], deleting: null, removeKeys: null } })
  if (get().exchanges.length === 0) void loadExchanges()
}

export function closeAccounts(): void {
  editorSeq++
  set({ accountsDialog: null })
}

async function loadExchanges(): Promise<void> {
  const res = await client().invoke('exchange.list', {})
  if (!res.ok) {
    // The exchange id can still be typed; only the suggestions are missing.
    reportError('Could not load the list of exchanges', res.error)
    return
  }
  set({ exchanges: res.value })
}

function editorFor(account: Account | null, venue: VenueKind): AccountEditor {
  return {
    id: account?.id ?? null,
    venue: account?.venue ?? venue,
    name: account?.name ?? '',
    // A paper account on the demo market has `paper` here: shown as an empty field.
    exchangeId: account && account.exchangeId !== 'paper' ? account.exchangeId : '',
    apiUrl: account?.apiUrl ?? '',
    replaceKeys: account === null && venue === 'live',
    saving: false,
    errors: {},
    saved: false,
    verifyKeys: false,
    keysRemoved: [],
  }
}

function setEditor(editor: AccountEditor | null): void {
  set((s) => (s.accountsDialog ? { accountsDialog: { ...s.accountsDialog, editor } } : {}))
}

/** Starts adding a paper or a live account. */
export function newAccount(venue: VenueKind): void {
  editorSeq++
  setEditor(editorFor(null, venue))
}

export function editAccount(accountId: string): void {
  const account = get().accounts.find((a) => a.id === accountId)
  if (!account) return
  editorSeq++
  setEditor(editorFor(account, account.venue))
}

/** Back from the editor to the list of accounts (what was typed is dropped). */
export function backToAccounts(): void {
  editorSeq++
  setEditor(null)
}

export function editAccountField(
  patch: Partial<Pick<AccountEditor, 'name' | 'exchangeId' | 'apiUrl'>>,
): void {
  const ed = get().accountsDialog?.editor
  if (!ed) return
  const errors = { ...ed.errors }
  for (const k of Object.keys(patch) as EditorField[]) delete errors[k]
  delete errors.form
  setEditor({ ...ed, ...patch, errors, saved: false })
}

/** Shows (or hides again) the API key inputs of an account that already has keys. */
export function showKeyInputs(on: boolean): void {
  const ed = get().accountsDialog?.editor
  if (!ed) return
  const errors = { ...ed.errors }
  delete errors.apiKey
  delete errors.secret
  setEditor({ ...ed, replaceKeys: on, verifyKeys: on && ed.verifyKeys, errors, saved: false })
}

/** Whether new keys are checked with the exchange before they are stored. */
export function setVerifyKeys(on: boolean): void {
  const ed = get().accountsDialog?.editor
  if (ed) setEditor({ ...ed, verifyKeys: on })
}

/** The editor field an engine error points at (`params.apiUrl` -> `apiUrl`), else the form. */
function fieldOf(path: string | undefined): EditorField {
  const name = path?.replace(/^params\.?/, '').split(/[.[]/)[0] ?? ''
  return (EDITOR_FIELDS as readonly string[]).includes(name) ? (name as EditorField) : 'form'
}

/** The engine's message without its `params.x: ` prefix, for showing beside the field. */
function fieldMessage(error: AppErrorShape): string {
  const prefix = error.path !== undefined ? `${error.path}: ` : ''
  return prefix !== '' && error.message.startsWith(prefix)
    ? error.message.slice(prefix.length)
    : error.message
}

/** Puts a saved account into the list (the selector and the dialog show it at once). */
function mergeAccount(account: Account): void {
  set((s) => ({
    accounts: s.accounts.some((a) => a.id === account.id)
      ? s.accounts.map((a) => (a.id === account.id ? account : a))
      : [...s.accounts, account],
  }))
  if (account.id === get().accountId) scheduleValidate(0)
}

/**
 * Saves the editor's account. The API key and secret come straight from their inputs and are
 * sent only when typed; the engine stores them encrypted and answers with a masked hint.
 */
export async function saveAccountForm(keys: { apiKey: string; secret: string }): Promise<void> {
  const ed = get().accountsDialog?.editor
  if (!ed || ed.saving) return
  const existing = ed.id !== null ? get().accounts.find((a) => a.id === ed.id) : undefined
  const params: ParamsIn<'trading.saveAccount'> = { name: ed.name.trim(), venue: ed.venue }
  if (ed.id !== null) params.id = ed.id
  const errors: AccountEditor['errors'] = {}
  if (ed.venue === 'live') {
    const exchangeId = ed.exchangeId.trim()
    if (exchangeId === '') errors.exchangeId = 'Enter the exchange id, e.g. binance'
    else params.exchangeId = exchangeId
    const url = ed.apiUrl.trim()
    if (url !== (existing?.apiUrl ?? '')) params.apiUrl = url === '' ? null : url
    if (ed.replaceKeys) {
      const apiKey = keys.apiKey.trim()
      const secret = keys.secret.trim()
      if (apiKey !== '') params.apiKey = apiKey
      if (secret !== '') params.secret = secret
      if (ed.verifyKeys && (apiKey === '') !== (secret === '')) {
        errors[apiKey === '' ? 'apiKey' : 'secret'] = 'Give both the API key and its secret to check them'
      }
    }
  } else {
    // Paper: the demo market (`paper`), or the exchange whose public prices it trades on.
    const exchangeId = ed.exchangeId.trim() === '' ? 'paper' : ed.exchangeId.trim()
    if (exchangeId !== (existing?.exchangeId ?? 'paper')) params.exchangeId = exchangeId
  }
  if (Object.keys(errors).length > 0) {
    setEditor({ ...ed, errors })
    return
  }
  // Keys to check go to the connection after the account (whose API URL the check must use) is saved.
  const toVerify =
    ed.verifyKeys && params.apiKey !== undefined && params.secret !== undefined
      ? { apiKey: params.apiKey, secret: params.secret }
      : null
  if (toVerify) {
    delete params.apiKey
    delete params.secret
  }
  const mine = ++editorSeq
  setEditor({ ...ed, saving: true, errors: {}, saved: false, keysRemoved: [] })
  const res = await client().invoke('trading.saveAccount', params)
  const current = get().accountsDialog?.editor
  const stillHere = mine === editorSeq && current !== undefined && current !== null
  if (!res.ok) {
    const field = fieldOf(res.error.path)
    if (stillHere) setEditor({ ...current, saving: false, errors: { [field]: fieldMessage(res.error) } })
    if (field === 'form' || !stillHere) reportError(`Could not save “${params.name}”`, res.error)
    return
  }
  const { keysRemoved: removed, ...saved } = res.value
  mergeAccount(saved)
  keysGone(removed)
  // Keys checked and stored just below replace the ones removed from this account's exchange.
  const keysRemoved = removed
    .filter((k) => !(toVerify && k.exchange === saved.exchangeId))
    .map((k) => k.reason)
  if (params.apiKey !== undefined) markKeys(saved.exchangeId, { state: 'unchecked' })
  if (toVerify) {
    if (stillHere) setEditor({ ...editorFor(saved, saved.venue), saving: true, verifyKeys: true })
    const checked = await verifyAndStoreKeys(saved, toVerify)
    const now = get().accountsDialog?.editor
    const here = mine === editorSeq && now !== undefined && now !== null
    if (!checked.ok) {
      if (here) {
        setEditor({
          ...now,
          saving: false,
          replaceKeys: true,
          errors: { apiKey: `Not stored: ${checked.message}` },
          keysRemoved,
        })
      } else {
        reportError(`The keys for “${saved.name}” were not stored`, checked.error)
      }
      return
    }
    if (here) setEditor({ ...editorFor(checked.account, 'live'), saved: true, keysRemoved })
  } else if (stillHere) {
    // Keys removed: their inputs are shown again, beside the reason.
    setEditor({ ...editorFor(saved, saved.venue), saved: true, keysRemoved })
  }
  notify(
    'info',
    existing ? 'Account saved' : 'Account added',
    `“${saved.name}” (${saved.venue === 'live' ? `live on ${saved.exchangeId}` : 'paper'})${
      toVerify ? `; API keys checked with ${saved.exchangeId} and stored` : ''
    }.`,
  )
  for (const reason of keysRemoved) notify('warning', 'API keys removed', reason)
}

/** Stored keys the engine removed: no account of their exchange shows them any more. */
function keysGone(removed: readonly KeysRemoved[]): void {
  for (const { exchange } of removed) {
    setConnectionKeys(exchange, null)
    set((s) => {
      const keysChecked = { ...s.keysChecked }
      delete keysChecked[exchange]
      return { keysChecked }
    })
  }
}

/** Checks keys with a signed request to the account's exchange and stores them only if it answers. */
async function verifyAndStoreKeys(
  account: Account,
  keys: { apiKey: string; secret: string },
): Promise<{ ok: true; account: Account } | { ok: false; message: string; error: AppErrorShape }> {
  const res = await client().invoke('exchange.setKeys', {
    exchange: account.exchangeId,
    apiKey: keys.apiKey,
    secret: keys.secret,
    verify: true,
  })
  if (!res.ok) return { ok: false, message: res.error.message, error: res.error }
  markKeys(account.exchangeId, res.value.verified ? { state: 'ok', at: Date.now() } : { state: 'unchecked' })
  // The keys are the connection's: every live account on it has them now.
  setConnectionKeys(account.exchangeId, res.value.maskedKey)
  const now = get().accounts.find((a) => a.id === account.id) ?? account
  return { ok: true, account: now }
}

function markKeys(exchangeId: string, check: KeysCheck): void {
  set((s) => ({ keysChecked: { ...s.keysChecked, [exchangeId]: check } }))
}

/** Asks the exchange whether the stored keys still work (one signed request; nothing changes). */
export async function checkStoredKeys(exchangeId: string): Promise<void> {
  if (get().keysChecked[exchangeId]?.state === 'checking') return
  markKeys(exchangeId, { state: 'checking' })
  const res = await client().invoke('exchange.checkKeys', { exchange: exchangeId })
  markKeys(
    exchangeId,
    res.ok
      ? { state: 'ok', at: res.value.checkedAt }
      : { state: 'failed', refused: res.error.kind === 'auth_failed', message: res.error.message },
  )
}

/** Shows a connection's keys (a masked hint, or none) on every live account that trades through it. */
function setConnectionKeys(exchangeId: string, keyHint: string | null): void {
  set((s) => ({
    accounts: s.accounts.map((a) =>
      a.venue === 'live' && a.exchangeId === exchangeId ? { ...a, hasKeys: keyHint !== null, keyHint } : a,
    ),
  }))
}

/**
 * The live-trading switch of a live account. Off takes effect at once; on first asks the
 * trader to confirm that real orders will be sent (`confirmLiveOn`).
 */
export function setLiveTrading(accountId: string, on: boolean): void {
  const d = get().accountsDialog
  if (!d || d.switching.includes(accountId)) return
  if (on) {
    set({ accountsDialog: { ...d, liveOn: accountId } })
    return
  }
  void writeLive(accountId, false)
}

export function confirmLiveOn(): void {
  const d = get().accountsDialog
  const id = d?.liveOn
  if (!d || id == null) return
  set({ accountsDialog: { ...d, liveOn: null } })
  void writeLive(id, true)
}

export function cancelLiveOn(): void {
  set((s) => (s.accountsDialog ? { accountsDialog: { ...s.accountsDialog, liveOn: null } } : {}))
}

async function writeLive(accountId: string, liveEnabled: boolean): Promise<void> {
  const account = get().accounts.find((a) => a.id === accountId)
  if (!account || account.venue !== 'live') return
  const switching = (f: (ids: string[]) => string[]): void =>
    set((s) =>
      s.accountsDialog
        ? { accountsDialog: { ...s.accountsDialog, switching: f(s.accountsDialog.switching) } }
        : {},
    )
  switching((ids) => [...ids, accountId])
  // No exchange id: the engine keeps the account's connection as it is.
  const res = await client().invoke('trading.saveAccount', {
    id: account.id,
    name: account.name,
    venue: 'live',
    liveEnabled,
  })
  switching((ids) => ids.filter((x) => x !== accountId))
  if (!res.ok) {
    reportError(
      `Could not switch live trading ${liveEnabled ? 'on' : 'off'} for “${account.name}”`,
      res.error,
    )
    return
  }
  const { keysRemoved, ...saved } = res.value
  mergeAccount(saved)
  keysGone(keysRemoved)
  notify(
    liveEnabled ? 'warning' : 'info',
    liveEnabled ? 'Live trading enabled' : 'Live trading off',
    liveEnabled
      ? `“${account.name}” sends real orders to ${account.exchangeId}; each one still asks for confirmation.`
      : `“${account.name}” refuses orders until live trading is switched on again.`,
  )
}

// ------------------------------------------------------------------ deleting accounts, removing keys

function setDialog(patch: Partial<AccountsDialogState>): void {
  set((s) => (s.accountsDialog ? { accountsDialog: { ...s.accountsDialog, ...patch } } : {}))
}

/**
 * Asks to delete an account: the engine first checks it (a dry run), so the confirmation can say
 * what would be lost, or why it cannot be deleted, before anything happens.
 */
export async function askDeleteAccount(accountId: string): Promise<void> {
  if (accountId === DEMO_ACCOUNT_ID || !get().accountsDialog) return
  setDialog({ deleting: { accountId, state: 'checking', preview: null, error: null } })
  const res = await client().invoke('trading.deleteAccount', { accountId, dryRun: true })
  const d = get().accountsDialog?.deleting
  if (d?.accountId !== accountId || d.state !== 'checking') return
  setDialog({
    deleting: res.ok
      ? { ...d, state: 'ready', preview: res.value }
      : { ...d, state: 'refused', error: res.error.message },
  })
}

export function cancelDeleteAccount(): void {
  setDialog({ deleting: null })
}

/** Deletes the account the trader confirmed; nothing is sent to any exchange. */
export async function confirmDeleteAccount(): Promise<void> {
  const d = get().accountsDialog?.deleting
  if (d?.state !== 'ready') return
  setDialog({ deleting: { ...d, state: 'deleting' } })
  const res = await client().invoke('trading.deleteAccount', { accountId: d.accountId, confirm: true })
  if (!res.ok) {
    const now = get().accountsDialog?.deleting
    if (now?.accountId === d.accountId)
      setDialog({ deleting: { ...now, state: 'refused', error: res.error.message } })
    else reportError('Could not delete the account', res.error)
    return
  }
  setDialog({ deleting: null })
  const ed = get().accountsDialog?.editor
  if (ed?.id === d.accountId) backToAccounts()
  accountGone(d.accountId)
  const { name, orders, fills } = res.value
  notify(
    'info',
    'Account deleted',
    `“${name}” and its ${plural(orders, 'order')} and ${plural(fills, 'fill')} are gone. Nothing was sent to the exchange.`,
  )
}

/** An account no longer exists: out of the list, and the panel falls back to Demo paper if it was shown. */
function accountGone(accountId: string): void {
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

/** Asks to remove the stored API keys of an exchange connection. */
export function askRemoveKeys(exchangeId: string): void {
  setDialog({ removeKeys: { exchangeId, busy: false, error: null } })
}

export function cancelRemoveKeys(): void {
  setDialog({ removeKeys: null })
}

export async function confirmRemoveKeys(): Promise<void> {
  const r = get().accountsDialog?.removeKeys
  if (!r || r.busy) return
  setDialog({ removeKeys: { ...r, busy: true, error: null } })
  const res = await client().invoke('exchange.removeKeys', { exchange: r.exchangeId })
  if (!res.ok) {
    if (get().accountsDialog?.removeKeys?.exchangeId === r.exchangeId)
      setDialog({ removeKeys: { ...r, busy: false, error: res.error.message } })
    else reportError(`Could not remove the ${r.exchangeId} API keys`, res.error)
    return
  }
  setDialog({ removeKeys: null })
  setConnectionKeys(r.exchangeId, null)
  set((s) => {
    const keysChecked = { ...s.keysChecked }
    delete keysChecked[r.exchangeId]
    return { keysChecked }
  })
  const ed = get().accountsDialog?.editor
  if (ed) showKeyInputs(true)
  notify(
    'info',
    'API keys removed',
    `The ${r.exchangeId} keys are deleted from this computer; they stay valid on ${r.exchangeId} until you revoke them there.`,
  )
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`
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
