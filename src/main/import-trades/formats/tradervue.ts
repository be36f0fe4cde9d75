import { Decimal } from '../../../shared/decimal/decimal'
import { splitPair } from '../pairs'
import { decimalCell, sideCell } from '../values'
import { column, issue, required, type CsvFormat } from './format'

const DATE = /^(?:(\d{1,2})[/-](\d{1,2})[/-](\d{4})|(\d{4})[/-](\d{1,2})[/-](\d{1,2})|(\d{4})(\d{2})(\d{2}))$/
const TIME = /^(\d{1,2}):(\d{2}):(\d{2})$/

/**
 * Tradervue's generic import format: `Date,Time,Symbol,Quantity,Price,Side` plus optional
 * `Commission`, `TransFee` and `ECNFee` (summed into the fee; a negative fee is a rebate).
 * Dates as Tradervue takes them: mm/dd/yyyy, mm-dd-yyyy, yyyy/mm/dd, yyyy-mm-dd, yyyymmdd
 * (never day-first); Time HH:MM:SS in 24 hours, read as UTC (12:00:00 when there is no Time
 * column, as Tradervue does). Side starts with B or S (BOT, SLD, Buy, Sell, Short; Cover is a
 * buy); without a Side column a negative Quantity is a sell. A symbol without a known quote
 * asset at its end (stocks: SPY) is quoted in USD (`SPY/USD`); fees are in the quote.
 */
export const tradervueFormat: CsvFormat = {
  name: 'tradervue',
  detect: (h) => ['symbol', 'quantity', 'price'].every((n) => h.includes(n)) && !h.includes('tradeid'),
  reader(h, ctx) {
    const f = 'Tradervue'
    const date = required(h, f, 'date')
    const time = column(h, 'time')
    const symbol = required(h, f, 'symbol')
    const quantity = required(h, f, 'quantity', 'qty')
    const price = required(h, f, 'price')
    const side = column(h, 'side')
    const fees = ['commission', 'transfee', 'ecnfee'].map((n) => column(h, n)).filter((i) => i >= 0)
    return (cells, line) => {
      const d = DATE.exec((cells[date] ?? '').trim())
      if (!d) return issue(date, `Date "${cells[date]}" is not mm/dd/yyyy, yyyy-mm-dd or yyyymmdd`)
      const [y, m, day] = d[3] ? [d[3], d[1], d[2]] : d[4] ? [d[4], d[5], d[6]] : [d[7], d[8], d[9]]
      let hh = 12
      let mm = 0
      let ss = 0
      if (time >= 0) {
        const tm = TIME.exec((cells[time] ?? '').trim())
        if (!tm) return issue(time, `Time "${cells[time]}" is not HH:MM:SS`)
        ;[hh, mm, ss] = [Number(tm[1]), Number(tm[2]), Number(tm[3])]
      }
      const t = Date.UTC(Number(y), Number(m) - 1, Number(day), hh, mm, ss)
      const check = new Date(t)
      if (
        check.getUTCDate() !== Number(day) ||
        check.getUTCMonth() !== Number(m) - 1 ||
        hh > 23 ||
        mm > 59 ||
        ss > 59
      )
        return issue(
          date,
          `Date "${cells[date]}" ${time >= 0 ? `Time "${cells[time]}" ` : ''}is not a real date and time`,
        )
      const q = decimalCell(cells[quantity] ?? '')
      if (q === undefined || q === '0')
        return issue(quantity, `Quantity "${cells[quantity]}" is not a non-zero number`)
      const qd = Decimal.parse(q)
      const sideText = side >= 0 ? (cells[side] ?? '').trim() : ''
      const s = sideText ? sideCell(sideText, true) : qd.isNegative() ? 'sell' : 'buy'
      if (!s) return issue(side, `Side "${sideText}" does not start with B or S`)
      const p = decimalCell(cells[price] ?? '')
      if (p === undefined || !Decimal.parse(p).isPositive())
        return issue(price, `Price "${cells[price]}" is not above zero`)
      const sym = (cells[symbol] ?? '').trim().toUpperCase()
      if (!sym) return issue(symbol, 'Symbol is empty')
      const unified = splitPair(sym, ctx.knownPairs) ?? `${sym}/USD`
      let fee: Decimal | null = null
      for (const i of fees) {
        if (!cells[i]?.trim()) continue
        const v = decimalCell(cells[i]!)
        if (v === undefined) return issue(i, `"${cells[i]}" is not a number`)
        fee = (fee ?? Decimal.ZERO).plus(Decimal.parse(v))
      }
      return {
        line,
        tradeId: null,
        orderId: null,
        clientOrderId: null,
        symbol: unified,
        side: s,
        amount: qd.abs().toString(),
        price: p,
        cost: null,
        fee: fee === null ? null : { cost: fee.toString(), currency: unified.split('/')[1]!.split(':')[0]! },
        takerOrMaker: null,
        time: t,
      }
    }
  },
}
