import type { CellValue, Column } from './columns'

const pair = (value: CellValue): [string, string] => {
  const symbol = String(value)
  const slash = symbol.indexOf('/')
  if (slash < 0) return [symbol, '']
  const quote = symbol.slice(slash + 1)
  const colon = quote.indexOf(':')
  return [symbol.slice(0, slash), colon < 0 ? quote : quote.slice(0, colon)]
}

/**
 * The columns of `export fills`, in their default order. Every stored field has one, so an
 * export with the default set imports back without loss (`import-trades --format candlework`).
 */
export const FILL_COLUMNS: readonly Column[] = [
  { name: 'time', kind: 'time', default: true, description: 'when the fill happened', sql: 't.time' },
  {
    name: 'account',
    kind: 'text',
    default: true,
    description: "the account's name",
    sql: 'a.name',
  },
  { name: 'symbol', kind: 'text', default: true, description: 'market, BASE/QUOTE', sql: 't.symbol' },
  { name: 'side', kind: 'text', default: true, description: 'buy or sell', sql: 't.side' },
  {
    name: 'amount',
    kind: 'decimal',
    default: true,
    description: 'base amount filled',
    sql: 't.amount',
  },
  { name: 'price', kind: 'decimal', default: true, description: 'price in quote', sql: 't.price' },
  {
    name: 'cost',
    kind: 'decimal',
    default: true,
    description: 'amount × price, in quote',
    sql: 't.cost',
  },
  {
    name: 'fee',
    kind: 'decimal',
    default: true,
    description: 'fee paid, in fee_currency',
    sql: 't.fee_cost',
  },
  {
    name: 'fee_currency',
    kind: 'text',
    default: true,
    description: 'currency of the fee',
    sql: 't.fee_currency',
  },
  {
    name: 'taker_or_maker',
    kind: 'text',
    default: true,
    description: 'taker or maker, when known',
    sql: 't.taker_or_maker',
  },
  {
    name: 'trade_id',
    kind: 'text',
    default: true,
    description: "the exchange's trade id",
    sql: 't.trade_id',
  },
  {
    name: 'order_id',
    kind: 'text',
    default: true,
    description: "the exchange's id of the order filled",
    sql: 't.exchange_order_id',
  },
  {
    name: 'client_order_id',
    kind: 'text',
    default: true,
    description: "Candlework's id of the order, when it placed it",
    sql: 't.client_order_id',
  },
  {
    name: 'account_id',
    kind: 'text',
    default: false,
    description: "the account's id",
    sql: 't.account_id',
  },
  {
    name: 'base',
    kind: 'text',
    default: false,
    description: 'base asset of the symbol',
    sql: 't.symbol',
    derive: (v) => pair(v)[0],
  },
  {
    name: 'quote',
    kind: 'text',
    default: false,
    description: 'quote asset of the symbol',
    sql: 't.symbol',
    derive: (v) => pair(v)[1],
  },
  {
    name: 'time_ms',
    kind: 'integer',
    default: false,
    description: 'time as ms since 1970 (UTC)',
    sql: 't.time',
  },
  {
    name: 'recorded_at',
    kind: 'time',
    default: false,
    description: 'when Candlework recorded the fill',
    sql: 't.recorded_at',
  },
]
