import type { Result } from '../../../../shared/contract/errors'
import type { Order } from '../../../../shared/domain/trading'
import { client } from '../../connection'
import { slot } from '../../sync/index'
import { type Scope } from '../../sync/scope'
import { notify, reportError } from '../notices/store'
import { useTradeStore } from '../chart/store'
import { blockedVerdict, ticketMarketNow } from '../accounts/account-market'
import { describeOrder } from '../desk/format'
import { answerLost, answerMayBeLost, submissionId, submissionSettled } from './submission'
import {
  EMPTY_FORM,
  buildRequest,
  isOcoRequest,
  requestSig,
  splitSymbol,
  ticketVerdict,
  type TicketForm,
  type TicketRequest,
  type TicketVerdict,
} from './request'
import { useTradingStore } from '../desk/store'
import { clearRiskPreview, previewRisk } from './risk-preview'

/**
 * The order ticket: what the trader types, the engine's check of it while typing, and sending
 * it (a live account's order after the trader confirms it).
 */

const get = useTradingStore.getState
const set = useTradingStore.setState

/** Typing pauses this long before the engine is asked to check the order. */
const VALIDATE_DEBOUNCE_MS = 200

/** The engine's check of the ticket as it stands: a new one replaces the last. */
const checking = slot()

/** Opens or folds the ticket column (the trader's choice wins over the window's width). */
export function setTicketOpen(open: boolean): void {
  set({ ticketPref: open ? 'open' : 'closed' })
}

const focusSize = (): void => {
  requestAnimationFrame(() => document.getElementById('tk-size')?.focus())
}

/**
 * F9 (as in most trading terminals): a folded ticket opens with the cursor in its size field;
 * an open one takes the cursor there, and folds when the cursor is in it already.
 */
export function toggleTicket(folded: boolean): void {
  const inTicket = document.activeElement?.closest('[data-testid="trading-panel"]') != null
  if (!folded && inTicket) {
    set({ ticketPref: 'closed' })
    ;(document.activeElement as HTMLElement | null)?.blur()
    return
  }
  set({ ticketPref: 'open' })
  focusSize()
}

/** B and S: the ticket open on that side with the cursor in its size field. */
export function ticketOnSide(side: 'buy' | 'sell'): void {
  set({ ticketPref: 'open' })
  editTicket({ side })
  focusSize()
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
  set((s) => ({ form: { ...s.form, ...patch }, outcome: null, keptAmount: null }))
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
  const req = currentRequest()
  // Nothing to ask the engine while the account's market cannot take the order (the ticket says why).
  if (req === null || ticketMarketNow().block !== null) {
    checking.close()
    set({ check: { state: 'idle', sig: '', result: null } })
    clearRiskPreview()
    return
  }
  const sig = requestSig(req)
  set((s) => ({ check: { state: 'checking', sig, result: s.check.sig === sig ? s.check.result : null } }))
  // A new check replaces the last: its timer is cleared and its answer, if one comes, dropped.
  const scope = checking.open()
  scope.later('validate', () => void validate(scope, req, sig), ms)
}

/** Stops checking the ticket (the panel closed). */
export function stopChecking(): void {
  checking.close()
}

/** The balances moved (an update or a fetch): the check that follows decides a kept amount. */
export function balancesChanged(): void {
  if (get().keptAmount === 'placed') set({ keptAmount: 'armed' })
  scheduleValidate(get().keptAmount === 'armed' ? 0 : VALIDATE_DEBOUNCE_MS)
}

async function validate(scope: Scope, req: TicketRequest, sig: string): Promise<void> {
  const decides = get().keptAmount === 'armed'
  // The order's effect on the account's risk, asked at the same time (an OCO has none yet).
  if (isOcoRequest(req)) clearRiskPreview()
  else void previewRisk(scope, req, sig)
  const res = isOcoRequest(req)
    ? await scope.invoke('trading.validateOco', req)
    : await scope.invoke('trading.validateOrder', req)
  if (!res || get().check.sig !== sig) return
  if (decides && get().keptAmount === 'armed') {
    set({ keptAmount: null })
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
    if (res.error.message !== get().checkFailure) {
      set({ checkFailure: res.error.message })
      reportError('Could not check the order', res.error)
    }
    return
  }
  set({ checkFailure: null, check: { state: 'done', sig, result: res.value } })
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
  if (account?.mode === 'live') {
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
  // The trader may switch accounts while it is sent: the ticket then shows nothing of it.
  const sameAccount = (): boolean => get().accountId === ticketReq.accountId
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
    if (sameAccount())
      set({ outcome: { kind: 'rejected', message: res.error.message, errorKind: res.error.kind } })
    reportError(`${req.side === 'buy' ? 'Buy' : 'Sell'} ${req.symbol} rejected`, res.error)
    return
  }
  const order = res.value
  // An order the engine is still looking up on the exchange keeps its id for a retry.
  if (order.status !== 'unknown') submissionSettled(order.clientOrderId)
  if (sameAccount() && order.status !== 'rejected') set({ keptAmount: 'placed' })
  if (sameAccount()) {
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
  // The order, its fills, the positions and balances arrive on `trading.updates`.
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
