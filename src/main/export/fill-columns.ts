import type { FillRow } from '../trading/store'
import type { Column } from './columns'

/** A stored fill with its account's name, as the export query reads it. */
export type FillExportRow = FillRow & { account_name: string; recorded_at: number }

const pair = (symbol: string): [string, string] => {
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
export const FILL_COLUMNS: readonly Column<FillExportRow>[] = [
  { name: 'time', kind: 'time', default: true, description: 'when the fill happened', value: (r) => r.time },
  {
    name: 'account',
    kind: 'text',
    default: true,
    description: "the account's name",
    value: (r) => r.account_name,
  },
  { name: 'symbol', kind: 'text', default: true, description: 'market, BASE/QUOTE', value: (r) => r.symbol },
  { name: 'side', kind: 'text', default: true, description: 'buy or sell', value: (r) => r.side },
  {
    name: 'amount',
    kind: 'decimal',
    default: true,
    description: 'base amount filled',
    value: (r) => r.amount,
  },
  { name: 'price', kind: 'decimal', default: true, description: 'price in quote', value: (r) => r.price },
  {
    name: 'cost',
    kind: 'decimal',
    default: true,
    description: 'amount × price, in quote',
    value: (r) => r.cost,
  },
  {
    name: 'fee',
    kind: 'decimal',
    default: true,
    description: 'fee paid, in fee_currency',
    value: (r) => r.fee_cost,
  },
  {
    name: 'fee_currency',
    kind: 'text',
    default: true,
    description: 'currency of the fee',
    value: (r) => r.fee_currency,
  },
  {
    name: 'taker_or_maker',
    kind: 'text',
    default: true,
    description: 'taker or maker, when known',
    value: (r) => r.taker_or_maker,
  },
  {
    name: 'trade_id',
    kind: 'text',
    default: true,
    description: "the exchange's trade id",
    value: (r) => r.trade_id,
  },
  {
    name: 'order_id',
    kind: 'text',
    default: true,
    description: "the exchange's id of the order filled",
    value: (r) => r.exchange_order_id,
  },
  {
    name: 'client_order_id',
    kind: 'text',
    default: true,
    description: "Candlework's id of the order, when it placed it",
    value: (r) => r.client_order_id,
  },
  {
    name: 'account_id',
    kind: 'text',
    default: false,
    description: "the account's id",
    value: (r) => r.account_id,
  },
  {
    name: 'base',
    kind: 'text',
    default: false,
    description: 'base asset of the symbol',
    value: (r) => pair(r.symbol)[0],
  },
  {
    name: 'quote',
    kind: 'text',
    default: false,
    description: 'quote asset of the symbol',
    value: (r) => pair(r.symbol)[1],
  },
  {
    name: 'time_ms',
    kind: 'integer',
    default: false,
    description: 'time as ms since 1970 (UTC)',
    value: (r) => r.time,
  },
  {
    name: 'recorded_at',
    kind: 'time',
    default: false,
    description: 'when Candlework recorded the fill',
    value: (r) => r.recorded_at,
  },
]
