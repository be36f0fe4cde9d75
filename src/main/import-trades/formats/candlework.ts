import { unguardText } from '../../export/csv-text'
import { parseTimeText } from '../../importing/time-text'
import { decimalCell, positive, sideCell } from '../values'
import { column, issue, required, type CsvFormat } from './format'

/**
 * Candlework's own `export fills` file (src/main/export/fill-columns.ts): the column names as
 * written there. Text cells lose the `'` the injection guard added; decimals are read as written,
 * so an export imported again is the same to the last digit.
 */
export const candleworkFormat: CsvFormat = {
  name: 'candlework',
  detect: (h) => ['symbol', 'side', 'amount', 'price', 'tradeid'].every((n) => h.includes(n)),
  reader(h) {
    const f = 'Candlework'
    const timeMs = column(h, 'timems')
    const time = timeMs >= 0 ? timeMs : required(h, f, 'time')
    const symbol = required(h, f, 'symbol')
    const side = required(h, f, 'side')
    const amount = required(h, f, 'amount')
    const price = required(h, f, 'price')
    const tradeId = required(h, f, 'tradeid')
    const cost = column(h, 'cost')
    const fee = column(h, 'fee')
    const feeCurrency = column(h, 'feecurrency')
    const takerOrMaker = column(h, 'takerormaker')
    const orderId = column(h, 'orderid')
    const clientOrderId = column(h, 'clientorderid')
    const text = (cells: readonly string[], i: number): string | null => {
      const v = i >= 0 ? (cells[i] ?? '') : ''
      return v === '' ? null : unguardText(v)
    }
    return (cells, line) => {
      const t = timeMs >= 0 ? Number(cells[time]) : parseTimeText(cells[time] ?? '')
      if (t === undefined || !Number.isSafeInteger(t))
        return issue(time, `time "${cells[time]}" is not a time`)
      const s = sideCell(cells[side] ?? '', false)
      if (!s) return issue(side, `side "${cells[side]}" is not buy or sell`)
      const a = positive(cells[amount] ?? '', 'amount')
      if (typeof a !== 'string') return issue(amount, a.error)
      const p = positive(cells[price] ?? '', 'price')
      if (typeof p !== 'string') return issue(price, p.error)
      const sym = text(cells, symbol)
      if (!sym) return issue(symbol, 'symbol is empty')
      const id = text(cells, tradeId)
      if (!id) return issue(tradeId, 'trade_id is empty')
      let c: string | null = null
      if (cost >= 0 && cells[cost]) {
        const v = decimalCell(cells[cost]!)
        if (v === undefined) return issue(cost, `cost "${cells[cost]}" is not a number`)
        c = v
      }
      let feeValue: { cost: string; currency: string } | null = null
      if (fee >= 0 && cells[fee]) {
        const v = decimalCell(cells[fee]!)
        if (v === undefined) return issue(fee, `fee "${cells[fee]}" is not a number`)
        const cur = text(cells, feeCurrency)
        if (!cur) return issue(feeCurrency >= 0 ? feeCurrency : fee, 'a fee needs its fee_currency')
        feeValue = { cost: v, currency: cur }
      }
      const tm = text(cells, takerOrMaker)
      if (tm !== null && tm !== 'taker' && tm !== 'maker')
        return issue(takerOrMaker, `taker_or_maker "${tm}" is not taker or maker`)
      return {
        line,
        tradeId: id,
        orderId: text(cells, orderId),
        clientOrderId: text(cells, clientOrderId),
        symbol: sym,
        side: s,
        amount: a,
        price: p,
        cost: c,
        fee: feeValue,
        takerOrMaker: tm,
        time: t,
      }
    }
  },
}
