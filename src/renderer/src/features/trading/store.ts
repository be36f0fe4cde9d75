import { create } from 'zustand'
import type { ResultOf } from '../../../../shared/contract'
import {
  LIVE_STATUSES,
  UNRESOLVED_STATUSES,
  type Account,
  type Balance,
  type Fill,
  type Order,
  type OrderRequest,
  type OrderSide,
  type OrderType,
  type OrderValidation,
  type Position,
  type ReconciliationEvent,
  type VenueKind,
} from '../../../../shared/domain/trading'
import type { ExchangeInfo } from '../../../../shared/contract/exchange'
import type { AccountDeletion } from '../../../../shared/contract/trading'

export type LoadState = 'idle' | 'loading' | 'ready' | 'error'

/** The lists the blotter shows; each is re-fetched on its own when an update touches it. */
export const LISTS = ['orders', 'fills', 'positions', 'balances', 'events'] as const
export type ListName = (typeof LISTS)[number]

export const BLOTTER_TABS = ['positions', 'open', 'history', 'fills', 'balances', 'events'] as const
export type BlotterTab = (typeof BLOTTER_TABS)[number]

/** Size in base (`amount`) or in quote (`notional`). */
export type SizeMode = 'amount' | 'notional'

/** What the trader typed, as text (validated by the engine, not by the ticket). */
export interface TicketForm {
  side: OrderSide
  type: OrderType
  sizeMode: SizeMode
  size: string
  price: string
  stopPrice: string
}

export interface TicketCheck {
  state: 'idle' | 'checking' | 'done'
  /** The form the answer is for, so a late answer never shows against newer input. */
  sig: string
  result: OrderValidation | null
}

/** The answer to the last submit, shown under the ticket until the form changes. */
export type TicketOutcome =
  { kind: 'placed'; order: Order } | { kind: 'rejected'; message: string; errorKind: string }

export type BalancesResult = ResultOf<'trading.balances'>

/** Fields of the account editor an engine error can point at (`params.<field>`), or the form. */
export const EDITOR_FIELDS = [
  'name',
  'venue',
  'exchangeId',
  'apiUrl',
  'apiKey',
  'secret',
  'liveEnabled',
] as const
export type EditorField = (typeof EDITOR_FIELDS)[number] | 'form'

/**
 * The account being added or edited, as typed. API keys are never part of it: their inputs are
 * uncontrolled and read only when the form is saved, so they never reach a store or the DOM.
 */
export interface AccountEditor {
  /** null while adding. */
  id: string | null
  venue: VenueKind
  name: string
  exchangeId: string
  apiUrl: string
  /** The key inputs are shown (always for a new live account; after "Replace keys" otherwise). */
  replaceKeys: boolean
  saving: boolean
  errors: Partial<Record<EditorField, string>>
  /** Set after a save, until the form changes. */
  saved: boolean
  /** New keys are checked with a signed request (`exchange.setKeys` with `verify`) before they are stored. */
  verifyKeys: boolean
  /**
   * The engine's sentences for stored keys the last save removed (a new API URL or exchange: keys
   * are never sent to another address), shown until the next save or until the editor closes.
   */
  keysRemoved: string[]
}

/** The delete confirmation: checked first with a dry run, which says what would be lost (or why not). */
export interface DeleteConfirm {
  accountId: string
  state: 'checking' | 'ready' | 'refused' | 'deleting'
  preview: AccountDeletion | null
  /** The engine's message when it refuses. */
  error: string | null
}

/** The "remove keys" confirmation of one exchange connection. */
export interface RemoveKeysConfirm {
  exchangeId: string
  busy: boolean
  error: string | null
}

/** The accounts dialog: the list of accounts, or the editor of one. */
export interface AccountsDialog {
  editor: AccountEditor | null
  /** A live account waiting for the trader to confirm that live trading goes on. */
  liveOn: string | null
  /** Live switches being saved, by account id. */
  switching: string[]
  deleting: DeleteConfirm | null
  removeKeys: RemoveKeysConfirm | null
}

interface TradingState {
  accounts: Account[]
  accountsState: LoadState
  accountId: string | null
  /** Per-list load state for the selected account. */
  lists: Record<ListName, LoadState>
  orders: Order[]
  fills: Fill[]
  positions: Position[]
  balances: BalancesResult | null
  events: ReconciliationEvent[]
  /** Reconciliation events that arrived while the trader was looking elsewhere. */
  unseenEvents: number
  tab: BlotterTab
  form: TicketForm
  check: TicketCheck
  submitting: boolean
  outcome: TicketOutcome | null
  /** A live order waiting for the trader's explicit confirmation. */
  confirm: OrderRequest | null
  /** The reset-paper confirmation is open. */
  resetOpen: boolean
  /** Client order ids being cancelled. */
  cancelling: string[]
  /** The ticket column: folded to a rail on narrow windows (`auto`) unless the trader chose. */
  ticketPref: 'auto' | 'open' | 'closed'
  /** The accounts dialog, when open. */
  accountsDialog: AccountsDialog | null
  /** Exchange ids offered for live accounts (`exchange.list`), loaded with the dialog. */
  exchanges: ExchangeInfo[]
  /**
   * Per exchange connection, what this window knows of its stored keys: stored without a check,
   * being checked, accepted or refused by the exchange (`exchange.checkKeys` or a checked
   * `exchange.setKeys`). Absent: nothing known (keys stored earlier).
   */
  keysChecked: Record<string, KeysCheck>
}

export type KeysCheck =
  | { state: 'unchecked' }
  | { state: 'checking' }
  | { state: 'ok'; at: number }
  /** `refused`: the exchange said no (auth_failed); otherwise it could not be asked. */
  | { state: 'failed'; refused: boolean; message: string }

export const EMPTY_FORM: TicketForm = {
  side: 'buy',
  type: 'market',
  sizeMode: 'amount',
  size: '',
  price: '',
  stopPrice: '',
}

const idleLists = (): Record<ListName, LoadState> => ({
  orders: 'idle',
  fills: 'idle',
  positions: 'idle',
  balances: 'idle',
  events: 'idle',
})

export const initialAccountData = () => ({
  lists: idleLists(),
  orders: [] as Order[],
  fills: [] as Fill[],
  positions: [] as Position[],
  balances: null as BalancesResult | null,
  events: [] as ReconciliationEvent[],
  unseenEvents: 0,
  cancelling: [] as string[],
})

/** The trading feature's state: one store, written only by ./actions. */
export const useTradingStore = create<TradingState>()(() => ({
  accounts: [],
  accountsState: 'idle',
  accountId: null,
  ...initialAccountData(),
  tab: 'positions',
  form: EMPTY_FORM,
  check: { state: 'idle', sig: '', result: null },
  submitting: false,
  outcome: null,
  confirm: null,
  resetOpen: false,
  ticketPref: 'auto',
  accountsDialog: null,
  exchanges: [],
  keysChecked: {},
}))

export type TradingStateShape = TradingState

// Selectors.
export const selectAccount = (s: TradingState): Account | undefined =>
  s.accounts.find((a) => a.id === s.accountId)

export const isWorking = (o: Order): boolean =>
  LIVE_STATUSES.includes(o.status) || UNRESOLVED_STATUSES.includes(o.status)

/** Orders that may still trade or whose outcome is not known yet. */
export const selectOpenOrders = (s: TradingState): Order[] => s.orders.filter(isWorking)
export const selectHistory = (s: TradingState): Order[] => s.orders.filter((o) => !isWorking(o))
export const selectOpenPositions = (s: TradingState): Position[] =>
  s.positions.filter((p) => p.side !== 'flat')

export const selectBalance =
  (asset: string | null) =>
  (s: TradingState): Balance | undefined =>
    asset === null ? undefined : s.balances?.balances.find((b) => b.asset === asset)

/** A stable text key of what the ticket would ask the engine, for stale-answer checks. */
export function requestSig(req: OrderRequest | null): string {
  return req === null ? '' : JSON.stringify(req)
}

/** `BASE/QUOTE` -> its two assets (`BTC/USDT:USDT` style suffixes dropped). */
export function splitSymbol(symbol: string): { base: string; quote: string } {
  const [base = symbol, rest = ''] = symbol.split('/')
  return { base, quote: rest.split(':')[0] ?? rest }
}

/** A positive finite number from the trader's text (`1,234.5` and `1 234.5` accepted), or undefined. */
export function parseNumber(text: string): number | undefined {
  const t = text.replace(/[,\s_]/g, '')
  if (t === '' || !/^(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) return undefined
  const n = Number(t)
  return Number.isFinite(n) && n > 0 ? n : undefined
}

/**
 * The order request the ticket's form describes, or null while a required field is empty or
 * not a number (the ticket says which). The engine does every other check.
 */
export function buildRequest(
  accountId: string | null,
  symbol: string | null,
  form: TicketForm,
): { request: OrderRequest | null; missing: string | null } {
  if (accountId === null) return { request: null, missing: 'Choose an account' }
  if (symbol === null) return { request: null, missing: 'Choose a symbol' }
  const size = parseNumber(form.size)
  if (size === undefined) {
    return {
      request: null,
      missing: form.size.trim() === '' ? 'Enter a size' : 'The size is not a positive number',
    }
  }
  const req: OrderRequest = { accountId, symbol, side: form.side, type: form.type }
  if (form.sizeMode === 'amount') req.amount = size
  else req.notional = size
  if (form.type === 'limit') {
    const price = parseNumber(form.price)
    if (price === undefined) {
      return {
        request: null,
        missing: form.price.trim() === '' ? 'Enter a limit price' : 'The price is not a positive number',
      }
    }
    req.price = price
  }
  if (form.type === 'stop') {
    const stop = parseNumber(form.stopPrice)
    if (stop === undefined) {
      return {
        request: null,
        missing:
          form.stopPrice.trim() === '' ? 'Enter a stop price' : 'The stop price is not a positive number',
      }
    }
    req.stopPrice = stop
  }
  return { request: req, missing: null }
}
