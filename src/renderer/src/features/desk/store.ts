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
  type Position,
  type ReconciliationEvent,
  type TradingUpdate,
  type AccountMode,
} from '../../../../shared/domain/trading'
import type { ExchangeInfo } from '../../../../shared/contract/exchange'
import { CREDENTIALS } from '../../../../shared/domain/credentials'
import type { AccountDeletion, PositionClose } from '../../../../shared/contract/trading'
import type { AccountMarket, AccountQuote } from '../../../../shared/domain/account-market'
import { EMPTY_FORM, type TicketCheck, type TicketForm, type TicketRequest } from '../ticket/request'

export type LoadState = 'idle' | 'loading' | 'ready' | 'error'

/** The lists the blotter shows; each is re-fetched on its own when an update touches it. */
export const LISTS = ['orders', 'fills', 'positions', 'balances', 'events'] as const
export type ListName = (typeof LISTS)[number]

export const BLOTTER_TABS = ['positions', 'open', 'history', 'fills', 'balances', 'events'] as const
export type BlotterTab = (typeof BLOTTER_TABS)[number]

/**
 * The answer to the last submit, shown under the ticket until the form changes. `unknown`: the
 * answer was lost (the link dropped, or none came in time), so the order may exist; it is being
 * looked up by its id. `not_placed`: looked up, and the engine has no such order.
 */
export type TicketOutcome =
  | { kind: 'placed'; order: Order }
  | { kind: 'rejected'; message: string; errorKind: string }
  | { kind: 'unknown'; request: OrderRequest; clientOrderId: string }
  | { kind: 'not_placed'; request: OrderRequest; clientOrderId: string; message: string }

/** A submission whose answer was lost: it may or may not be an order until it is looked up. */
export interface LostSubmission {
  accountId: string
  clientOrderId: string
  request: OrderRequest
  /** When it was sent (ms since the epoch). */
  sentAt: number
  /** Why there was no answer, as the call failed. */
  reason: string
  /** The link was up when the call failed: the engine answered (`unavailable`) or none came in time. */
  linkUp: boolean
}

export type BalancesResult = ResultOf<'trading.balances'>

/**
 * The Close… dialog of a position: the engine's plan first (a dry run of trading.closePosition:
 * the close order, and the resting orders on its side that hold the position), then the close
 * itself on one confirm, canceling those orders in the same action.
 */
export interface CloseDialog {
  accountId: string
  symbol: string
  state: 'checking' | 'ready' | 'closing' | 'failed'
  plan: PositionClose | null
  /** Cancel the resting orders with the close (required when they hold what it needs). */
  cancelResting: boolean
  /** Why the plan could not be made or the close failed, in the engine's words. */
  error: string | null
}

/** Fields of the account editor an engine error can point at (`params.<field>`), or the form. */
export const EDITOR_FIELDS = [
  'name',
  'mode',
  'exchangeId',
  'apiUrl',
  ...CREDENTIALS,
  'checkKeys',
  'liveEnabled',
  'startingBalances',
] as const
export type EditorField = (typeof EDITOR_FIELDS)[number] | 'form'

/** One row of a paper account's starting balances, as typed (read by `lib/number-input` on save). */
export interface StartingRow {
  asset: string
  amount: string
}

/**
 * The check of new keys before they are stored (`checkKeys: true`): under way, or failed with
 * the engine's words; after a failure the trader may choose to store them unchecked.
 */
export type NewKeysCheck = { state: 'checking' } | { state: 'failed'; refused: boolean; message: string }

/**
 * The account being added or edited, as typed. API keys are never part of it: their inputs are
 * uncontrolled and read only when the form is saved, so they never reach a store or the DOM.
 */
export interface AccountEditor {
  /** null while adding. */
  id: string | null
  mode: AccountMode
  name: string
  exchangeId: string
  apiUrl: string
  /** The key inputs are shown (always for a new live account; after "Replace keys" otherwise). */
  replaceKeys: boolean
  saving: boolean
  errors: Partial<Record<EditorField, string>>
  /** Set after a save, until the form changes. */
  saved: boolean
  /** New keys being checked before they are stored, or the check that failed (nothing was saved). */
  keysCheck: NewKeysCheck | null
  /** A new paper account's starting balances; per-row problems by index. */
  startingBalances: StartingRow[]
  startingErrors: Record<number, string>
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

/** The selected account's rows the blotter shows, as loaded and then kept current by `trading.updates`. */
export interface BlotterRows {
  orders: Order[]
  fills: Fill[]
  positions: Position[]
  balances: BalancesResult | null
  events: ReconciliationEvent[]
  /** Client order ids being cancelled. */
  cancelling: string[]
}

interface TradingState extends BlotterRows {
  accounts: Account[]
  accountsState: LoadState
  accountId: string | null
  /** Per-list load state for the selected account. */
  lists: Record<ListName, LoadState>
  /**
   * `trading.updates` events that came while a fetch of their list was in flight, applied again
   * on its answer; null for a list with no fetch in flight.
   */
  updatesWhileLoading: Record<ListName, TradingUpdate[] | null>
  /** Reconciliation events that arrived while the trader was looking elsewhere. */
  unseenEvents: number
  tab: BlotterTab
  form: TicketForm
  check: TicketCheck
  submitting: boolean
  outcome: TicketOutcome | null
  /**
   * After an order is placed the ticket keeps its amount (to trade it again), but the balances
   * move: the first check after they change decides whether it still stands. If it no longer
   * does (sold everything, spent the quote), the amount is cleared rather than shown as an error
   * the trader did not make. `placed`: waiting for the balances; `armed`: the next check decides.
   */
  keptAmount: 'placed' | 'armed' | null
  /** The last failure of `trading.validateOrder` itself, reported once until it changes. */
  checkFailure: string | null
  /** The submission whose outcome is still open: its request's terms and its id (submission.ts). */
  submission: { sig: string; clientOrderId: string } | null
  /** Lost submissions being looked up now, by order id: one lookup at a time each. */
  lookingUp: string[]
  /** Submissions whose answer was lost, until looked up (any account). */
  lost: LostSubmission[]
  /** A live order waiting for the trader's explicit confirmation. */
  confirm: TicketRequest | null
  /** The reset-paper confirmation is open. */
  resetOpen: boolean
  /** The Close… dialog of a position, when open. */
  closing: CloseDialog | null
  /** The ticket column: folded to a rail on narrow windows (`auto`) unless the trader chose. */
  ticketPref: 'auto' | 'open' | 'closed'
  /** The accounts dialog, when open. */
  accountsDialog: AccountsDialog | null
  /** Bumped whenever the editor shows another account (or closes): late answers are dropped. */
  editorSeq: number
  /** Exchanges offered by the picker (`exchange.list`: name, credentials), loaded with the dialog. */
  exchanges: ExchangeInfo[]
  exchangesState: LoadState
  /**
   * Per exchange connection, what this window knows of its stored keys: stored without a check,
   * being checked, accepted or refused by the exchange (`exchange.checkKeys` or a checked
   * `exchange.setKeys`). Absent: nothing known (keys stored earlier).
   */
  keysChecked: Record<string, KeysCheck>
  /** The market the selected account trades on (`trading.market`), and when it arrived (`Date.now()`). */
  market: AccountMarket | null
  marketAt: number
  /** The price of the ticket's symbol on that market (`trading.quote`). */
  quote: AccountQuote | null
}

export type KeysCheck =
  | { state: 'unchecked' }
  | { state: 'checking' }
  | { state: 'ok'; at: number }
  /** `refused`: the exchange said no (auth_failed); otherwise it could not be asked. */
  | { state: 'failed'; refused: boolean; message: string }

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
  updatesWhileLoading: { orders: null, fills: null, positions: null, balances: null, events: null } as Record<
    ListName,
    TradingUpdate[] | null
  >,
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
  keptAmount: null,
  checkFailure: null,
  submission: null,
  lookingUp: [],
  lost: [],
  confirm: null,
  resetOpen: false,
  closing: null,
  ticketPref: 'auto',
  accountsDialog: null,
  editorSeq: 0,
  exchanges: [],
  exchangesState: 'idle',
  keysChecked: {},
  market: null,
  marketAt: 0,
  quote: null,
}))

export type TradingStateShape = TradingState

// Selectors.
export const selectAccount = (s: TradingState): Account | undefined =>
  s.accounts.find((a) => a.id === s.accountId)

export const isWorking = (o: Order): boolean =>
  LIVE_STATUSES.includes(o.status) || UNRESOLVED_STATUSES.includes(o.status) || o.status === 'waiting'

/** Orders that may still trade or whose outcome is not known yet. */
export const selectOpenOrders = (s: TradingState): Order[] => s.orders.filter(isWorking)
/**
 * Finished orders, the last finished first: the history shows when each one finished
 * (`updatedAt`), while the engine lists orders by when they were placed, so a limit that rested
 * for hours would otherwise sit below orders that finished before it.
 */
export const selectHistory = (s: TradingState): Order[] =>
  s.orders
    .filter((o) => !isWorking(o))
    .sort(
      (a, b) =>
        b.updatedAt - a.updatedAt ||
        b.createdAt - a.createdAt ||
        (a.clientOrderId < b.clientOrderId ? 1 : a.clientOrderId > b.clientOrderId ? -1 : 0),
    )
/** Positions with something held: open ones (long, short) and dust, which the blotter lists apart. */
export const selectOpenPositions = (s: TradingState): Position[] =>
  s.positions.filter((p) => p.side !== 'flat')

/** How many positions are open (dust below the lot step is not one). */
export const selectOpenPositionCount = (s: TradingState): number =>
  s.positions.filter((p) => p.side === 'long' || p.side === 'short').length

export const selectBalance =
  (asset: string | null) =>
  (s: TradingState): Balance | undefined =>
    asset === null ? undefined : s.balances?.balances.find((b) => b.asset === asset)
