import type { AppErrorShape } from '../../../../shared/contract/errors'
import { clientOrderIdGenerator } from '../../../../shared/domain/client-order-id'
import type { Order, OrderRequest } from '../../../../shared/domain/trading'
import { client } from '../../connection'
import { notify } from '../notices/store'
import { useShellStore } from '../shell/store'
import { formatQty } from '../desk/format'
import { requestSig, splitSymbol } from './request'
import { useTradingStore, type LostSubmission } from '../desk/store'

/**
 * A ticket submission and its order id. The id is made here, once, when the trader submits,
 * and sent with the order (`clientOrderId`): the engine treats the same request under the same
 * id as the same order. So when the answer is lost (the link drops mid-order, or no answer comes
 * in time) the order may or may not exist, and the ticket says exactly that — "outcome unknown,
 * checking", never "rejected" — until the order is looked up by its id, at once if the link is
 * up, else as soon as it is back (or seen on the updates stream). Submitting the same request
 * again meanwhile re-uses the id, so it can never make a second order.
 */

const get = useTradingStore.getState
const set = useTradingStore.setState

const newOrderId = clientOrderIdGenerator(
  () => Date.now(),
  (n) => crypto.getRandomValues(new Uint8Array(n)),
)

/** The order's terms: what the ticket asks for, without the live confirmation or an id. */
const termsSig = (req: OrderRequest): string =>
  requestSig({ ...req, confirm: undefined, clientOrderId: undefined })

/** The id to send `req` under: the open submission's while the request is the same, else a new one. */
export function submissionId(req: OrderRequest): string {
  const sig = termsSig(req)
  const open = get().submission
  if (open?.sig === sig) return open.clientOrderId
  const submission = { sig, clientOrderId: newOrderId() }
  set({ submission })
  return submission.clientOrderId
}

/** The engine answered for this submission (placed, or refused): the next submit is a new order. */
export function submissionSettled(clientOrderId: string): void {
  if (get().submission?.clientOrderId === clientOrderId) set({ submission: null })
}

/**
 * Whether a failed placeOrder may have been lost rather than refused: the link dropped or no
 * answer came in time (`unavailable`), or nobody knows yet (`outcome_unknown`). An engine that
 * refused with `unavailable` before making the order is found out by the lookup.
 */
export function answerMayBeLost(error: AppErrorShape): boolean {
  return error.kind === 'unavailable' || error.kind === 'outcome_unknown'
}

/** The answer to `req` was lost: it is shown as unknown and looked up now, or once the link is back. */
export function answerLost(req: OrderRequest & { clientOrderId: string }, error: AppErrorShape): void {
  const lost: LostSubmission = {
    accountId: req.accountId,
    clientOrderId: req.clientOrderId,
    request: req,
    sentAt: Date.now(),
    reason: error.message,
    linkUp: useShellStore.getState().connection === 'open',
  }
  set((s) => ({ lost: [...s.lost.filter((l) => l.clientOrderId !== lost.clientOrderId), lost] }))
  if (get().accountId === req.accountId) {
    set({ outcome: { kind: 'unknown', request: req, clientOrderId: req.clientOrderId } })
  }
  if (lost.linkUp) void lookUp(lost)
}

/** Looks up every submission whose answer was lost (the link is back). */
export function lookUpLost(): void {
  for (const lost of get().lost) void lookUp(lost)
}

/** An order the engine reports (the updates stream): if it is a lost submission, that settles it. */
export function lostOrderSeen(order: Order): void {
  const lost = get().lost.some((l) => l.clientOrderId === order.clientOrderId)
  const o = get().outcome
  const shown = (o?.kind === 'unknown' || o?.kind === 'not_placed') && o.clientOrderId === order.clientOrderId
  if (lost || shown) found(order)
}

async function lookUp(lost: LostSubmission): Promise<void> {
  const id = lost.clientOrderId
  if (get().lookingUp.includes(id)) return
  set((s) => ({ lookingUp: [...s.lookingUp, id] }))
  try {
    const res = await client().invoke('trading.orders', {
      accountId: lost.accountId,
      clientOrderId: lost.clientOrderId,
      limit: 1,
    })
    if (!get().lost.some((l) => l.clientOrderId === lost.clientOrderId)) return // settled meanwhile
    if (!res.ok) {
      // The account is gone: so is the question. Otherwise (the link dropped again) it stays
      // unknown and is asked again when the link is back.
      if (res.error.kind === 'not_found') forget(lost.clientOrderId)
      return
    }
    const order = res.value[0]
    if (order) found(order)
    else notThere(lost)
  } finally {
    set((s) => ({ lookingUp: s.lookingUp.filter((x) => x !== id) }))
  }
}

function forget(clientOrderId: string): void {
  set((s) => ({ lost: s.lost.filter((l) => l.clientOrderId !== clientOrderId) }))
}

function summary(r: { side: string; amount?: string | undefined; symbol: string; type: string }): string {
  const { base } = splitSymbol(r.symbol)
  const size = r.amount !== undefined ? `${formatQty(r.amount)} ${base}` : base
  return `${r.side === 'buy' ? 'Buy' : 'Sell'} ${size} ${r.type}`
}

/** The submission is an order: the ticket shows it as the engine has it. */
function found(order: Order): void {
  forget(order.clientOrderId)
  // An order the engine itself is still looking up on the exchange keeps its id for a retry.
  if (order.status !== 'unknown') submissionSettled(order.clientOrderId)
  const o = get().outcome
  if ((o?.kind === 'unknown' || o?.kind === 'not_placed') && o.clientOrderId === order.clientOrderId) {
    set({
      outcome:
        order.status === 'rejected' && order.error
          ? { kind: 'rejected', message: order.error.message, errorKind: order.error.kind }
          : { kind: 'placed', order },
    })
  }
  notify(
    order.status === 'rejected' ? 'warning' : 'info',
    `Order ${order.status === 'rejected' ? 'rejected' : 'found'}: ${order.symbol}`,
    `${summary(order)} — its answer was lost, and looking it up by its id (${order.clientOrderId}) found it ${order.status.replace('_', ' ')}. It was placed once.`,
  )
}

/** The engine has no such order: the request never arrived (or was refused before it was made). */
function notThere(lost: LostSubmission): void {
  forget(lost.clientOrderId)
  // With the link up the engine did answer, refusing before it made the order: its reason stands.
  const why = lost.linkUp ? lost.reason.replace(/\.$/, '') : 'it never arrived'
  const message = `The engine has no order ${lost.clientOrderId}: ${why}. Submit again to send it; the same order id goes with it, so it cannot be placed twice.`
  const o = get().outcome
  if (o?.kind === 'unknown' && o.clientOrderId === lost.clientOrderId) {
    set({
      outcome: { kind: 'not_placed', request: lost.request, clientOrderId: lost.clientOrderId, message },
    })
  }
  notify('warning', `Order not placed: ${lost.request.symbol}`, `${summary(lost.request)} — ${message}`)
}
