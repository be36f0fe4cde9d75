// risk.previewOrder: an order not sent, checked as the order path would check it (trading's own
// validation, then the risk rules counting nothing), with each limit's headroom and the account's
// 1-day 95 % historical VaR before and after it.
import type { OrderRiskPreview } from '../../shared/contract/risk-preview'
import type { OrderRequest } from '../../shared/domain/trading'
import { Decimal } from '../trading/decimal'
import type { GatedOrder } from '../trading/order-gate'
import { symbolQuote } from './check'
import { gatherPortfolio, type PortfolioSources } from './portfolio/gather'
import { orderVar } from './portfolio/order-var'
import type { RiskTrading } from './ports'
import type { RiskService } from './service'

export interface OrderPreviewDeps {
  trading: Pick<RiskTrading, 'checkedOrder' | 'positions'>
  service: Pick<RiskService, 'previewRisk'>
  /** Where daily closes come from; without it the VaR part says so. */
  bars?: Pick<PortfolioSources, 'bars' | 'sources'> | undefined
  now: () => number
}

/** A year of days, as the Risk view's default window. */
const WINDOW_DAYS = 365

export async function previewOrderRisk(deps: OrderPreviewDeps, req: OrderRequest): Promise<OrderRiskPreview> {
  const n = await deps.trading.checkedOrder(req)
  const o: GatedOrder = {
    accountId: req.accountId,
    symbol: n.symbol,
    side: n.side,
    type: n.type,
    amount: Decimal.parse(n.amount),
    notional: Decimal.parse(n.notional),
    referencePrice: Decimal.parse(n.referencePrice),
    reduceOnly: n.reduceOnly,
  }
  const risk = deps.service.previewRisk(o)
  return {
    accountId: req.accountId,
    symbol: n.symbol,
    currency: risk.currency,
    side: n.side,
    amount: n.amount,
    referencePrice: n.referencePrice,
    notional: n.notional,
    state: risk.state,
    refusal: risk.refusal,
    limits: risk.limits,
    var: await accountVar(deps, o, risk.currency),
  }
}

async function accountVar(
  deps: OrderPreviewDeps,
  o: GatedOrder,
  currency: string,
): Promise<OrderRiskPreview['var']> {
  if (!deps.bars) {
    return { before: null, after: null, returns: 0, from: null, to: null, note: 'no market history here' }
  }
  const base = o.symbol.slice(0, o.symbol.indexOf('/'))
  const inCurrency = symbolQuote(o.symbol) === currency
  const input = await gatherPortfolio(
    {
      accounts: () => [{ id: o.accountId }],
      positions: (id) => deps.trading.positions(id),
      bars: deps.bars.bars,
      ...(deps.bars.sources ? { sources: deps.bars.sources } : {}),
    },
    {
      currency,
      // The "benchmark" is only read as one more series: the order's asset, so the window has it.
      benchmark: inCurrency ? base : currency,
      horizonDays: 1,
      days: WINDOW_DAYS,
      paths: 0,
      seed: 1,
      scenarios: [],
      now: deps.now(),
    },
  )
  const qty = Number(o.amount.toString()) * (o.side === 'buy' ? 1 : -1)
  const out = orderVar(
    input,
    inCurrency ? { asset: base, quantity: qty, price: Number(o.referencePrice.toString()) } : null,
  )
  return inCurrency ? out : { ...out, note: `${o.symbol} is not quoted in ${currency}: left out` }
}
