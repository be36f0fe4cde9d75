import { parseTimeText } from '../../importing/time-text'
import { splitPair } from '../pairs'
import { assetAmountCell, sideCell } from '../values'
import { Decimal } from '../../../shared/decimal/decimal'
import { column, issue, required, type CsvFormat } from './format'

/**
 * Binance's spot trade-history export: `Date(UTC),Pair,Side,Price,Executed,Amount,Fee`, e.g.
 * `2024-03-01 12:00:00,BTCUSDT,BUY,65000.12,0.00100000BTC,65.00012000USDT,0.00000100BTC`.
 * Executed carries the base asset and Amount the quote, which split the pair; where they are
 * plain numbers the account's markets or the quote list in pairs.ts do. Amount is the cost.
 * Fee carries its asset (or a `Fee Coin` column does). The file has no trade id: duplicates are
 * found by time, symbol, side, price and amount.
 */
export const binanceFormat: CsvFormat = {
  name: 'binance',
  detect: (h) => ['dateutc', 'pair', 'side', 'price', 'executed'].every((n) => h.includes(n)),
  reader(h, ctx) {
    const f = 'Binance'
    const date = required(h, f, 'dateutc')
    const pair = required(h, f, 'pair')
    const side = required(h, f, 'side')
    const price = required(h, f, 'price')
    const executed = required(h, f, 'executed')
    const amount = column(h, 'amount', 'total')
    const fee = column(h, 'fee')
    const feeCoin = column(h, 'feecoin', 'feeasset')
    return (cells, line) => {
      const t = parseTimeText(cells[date] ?? '')
      if (t === undefined) return issue(date, `Date(UTC) "${cells[date]}" is not a date and time`)
      const s = sideCell(cells[side] ?? '', false)
      if (!s) return issue(side, `Side "${cells[side]}" is not BUY or SELL`)
      const p = assetAmountCell(cells[price] ?? '')
      if (!p || p.asset !== null) return issue(price, `Price "${cells[price]}" is not a number`)
      if (!Decimal.parse(p.amount).isPositive()) return issue(price, `Price ${p.amount} is not above zero`)
      const ex = assetAmountCell(cells[executed] ?? '')
      if (!ex) return issue(executed, `Executed "${cells[executed]}" is not an amount`)
      if (!Decimal.parse(ex.amount).isPositive())
        return issue(executed, `Executed ${ex.amount} is not above zero`)
      const total = amount >= 0 && cells[amount] ? assetAmountCell(cells[amount]!) : null
      if (total === undefined) return issue(amount, `Amount "${cells[amount]}" is not an amount`)
      const glued = (cells[pair] ?? '').trim().toUpperCase()
      let symbol: string | undefined
      if (ex.asset && total?.asset && ex.asset + total.asset === glued) symbol = `${ex.asset}/${total.asset}`
      else symbol = splitPair(glued, ctx.knownPairs)
      if (!symbol)
        return issue(
          pair,
          `Pair "${cells[pair]}" cannot be split into base and quote (no known quote asset at its end)`,
        )
      let feeValue: { cost: string; currency: string } | null = null
      if (fee >= 0 && cells[fee]) {
        const fv = assetAmountCell(cells[fee]!)
        if (!fv) return issue(fee, `Fee "${cells[fee]}" is not an amount`)
        const currency = fv.asset ?? (feeCoin >= 0 ? (cells[feeCoin] ?? '').trim().toUpperCase() : '')
        if (!currency) return issue(fee, `Fee "${cells[fee]}" does not say its asset (e.g. 0.001BNB)`)
        feeValue = { cost: fv.amount, currency }
      }
      return {
        line,
        tradeId: null,
        orderId: null,
        clientOrderId: null,
        symbol,
        side: s,
        amount: ex.amount,
        price: p.amount,
        cost: total?.amount ?? null,
        fee: feeValue,
        takerOrMaker: null,
        time: t,
      }
    }
  },
}
