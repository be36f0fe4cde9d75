import { AppError } from '../../shared/contract/errors'
import type { OcoRequest } from '../../shared/domain/trading'
import { validateOrder, type CheckedOrder, type ValidationContext } from './validation'
import { ALL_FEATURES } from './venue-features'

/** What an OCO is checked as: its two legs, each a normalized order of the same amount. */
export interface NormalizedOco {
  takeProfit: CheckedOrder
  stopLoss: CheckedOrder
}

/**
 * Checks an OCO as its two legs: the take-profit as a post-only limit (where the venue has
 * post-only; it must rest, so it is on the profitable side of the market) with the amount and
 * balance checks, and the stop-loss as a stop or stop-limit of the same amount (its stop on the
 * losing side of the market, so it does not trigger at once). The funds are needed once, as the
 * exchange locks them once for the list. Refusals name the OCO's own fields.
 */
export function validateOco(
  req: Omit<OcoRequest, 'accountId' | 'confirm'>,
  ctx: ValidationContext,
): NormalizedOco {
  const postOnly = (ctx.features ?? ALL_FEATURES).has('post_only')
  const takeProfit = renamed(
    () =>
      validateOrder(
        {
          symbol: req.symbol,
          side: req.side,
          type: 'limit',
          amount: req.amount,
          price: req.takeProfit.price,
          ...(postOnly ? { postOnly: true } : {}),
        },
        ctx,
      ),
    { 'params.price': 'params.takeProfit.price', 'params.postOnly': 'params.takeProfit.price' },
  )
  const stopLoss = renamed(
    () =>
      validateOrder(
        {
          symbol: req.symbol,
          side: req.side,
          type: req.stopLoss.price !== undefined ? 'stop_limit' : 'stop',
          amount: takeProfit.amount,
          stopPrice: req.stopLoss.stopPrice,
          ...(req.stopLoss.price !== undefined ? { price: req.stopLoss.price } : {}),
        },
        { ...ctx, balances: undefined },
      ),
    { 'params.stopPrice': 'params.stopLoss.stopPrice', 'params.price': 'params.stopLoss.price' },
  )
  return { takeProfit, stopLoss }
}

/** Runs a leg's check, its refusal's path renamed to the OCO's field. */
function renamed<T>(fn: () => T, paths: Record<string, string>): T {
  try {
    return fn()
  } catch (err) {
    if (!(err instanceof AppError) || err.path === undefined || paths[err.path] === undefined) throw err
    const message =
      err.path === 'params.stopPrice' || err.path === 'params.price'
        ? leg(err.message, err.path)
        : err.message
    throw new AppError(err.kind, message, paths[err.path], err.retryAfter)
  }
}

/** "stop price …" reads as the OCO's stop-loss in its message. */
function leg(message: string, path: string): string {
  return path === 'params.stopPrice' ? message.replace(/^stop price/, 'stop-loss') : message
}
