import type { ReactNode } from 'react'
import type { JournalTrade, SortColumn } from '../../../../shared/contract/journal'
import {
  EXIT_LABELS,
  holding,
  timeText,
  money,
  numClass,
  plain,
  pnl,
  pnlClass,
  price,
  rText,
  size,
} from './format'
import { formatPercent } from '../../lib/format'
import { UnusualMark } from './UnusualMark'

/** One column of the trades table: every one sorts (its `sort` is the engine's sort column). */
export interface TradeColumn {
  sort: SortColumn
  header: string
  title?: string
  /** CSS grid track. */
  width: string
  right?: boolean
  cell: (t: JournalTrade) => ReactNode
  className?: (t: JournalTrade) => string
  /** Hover text (the exact value where the cell rounds). */
  hover?: (t: JournalTrade) => string | undefined
}

const side = (t: JournalTrade) => (t.side === 'long' ? 'up' : 'down')

export const COLUMNS: readonly TradeColumn[] = [
  { sort: 'entryTime', header: 'Opened', width: '128px', cell: (t) => timeText(t.entryTime) },
  { sort: 'exitTime', header: 'Closed', width: '128px', cell: (t) => timeText(t.exitTime) },
  {
    sort: 'symbol',
    header: 'Symbol',
    width: 'minmax(150px, 1.4fr)',
    cell: (t) => (
      <>
        <strong>{t.symbol}</strong>
        <UnusualMark tradeKey={t.key} />
        {t.tags.map((g) => (
          <span key={`${g.kind}:${g.name}`} className={`jr-tag jr-tag-${g.kind}`}>
            {g.name}
          </span>
        ))}
      </>
    ),
  },
  {
    sort: 'side',
    header: 'Side',
    width: '52px',
    cell: (t) => (t.side === 'long' ? 'Long' : 'Short'),
    className: side,
  },
  {
    sort: 'netPnl',
    header: 'Net P&L',
    title: 'Gross P&L less fees, in the quote currency',
    width: '104px',
    right: true,
    cell: (t) => pnl(t.quote, t.netPnl),
    className: (t) => pnlClass(t.quote, t.netPnl),
    hover: (t) => `${t.netPnl} ${t.quote}`,
  },
  {
    sort: 'returnPct',
    header: 'Return',
    width: '72px',
    right: true,
    cell: (t) => formatPercent(t.returnPct),
    className: (t) => numClass(t.returnPct),
  },
  {
    sort: 'r',
    header: 'R',
    title: 'Net P&L over the initial risk (entry to stop)',
    width: '64px',
    right: true,
    cell: (t) => rText(t.r),
    className: (t) => numClass(t.r),
  },
  {
    sort: 'avgEntry',
    header: 'Entry',
    width: '92px',
    right: true,
    cell: (t) => price(t, t.avgEntry),
    hover: (t) => t.avgEntry,
  },
  {
    sort: 'avgExit',
    header: 'Exit',
    width: '92px',
    right: true,
    cell: (t) => price(t, t.avgExit),
    hover: (t) => t.avgExit ?? undefined,
  },
  { sort: 'size', header: 'Size', width: '84px', right: true, cell: (t) => size(t.size) },
  { sort: 'holdingMs', header: 'Held', width: '76px', right: true, cell: (t) => holding(t.holdingMs) },
  {
    sort: 'exitReason',
    header: 'Exit by',
    width: '86px',
    cell: (t) => (t.exitReason ? EXIT_LABELS[t.exitReason] : '—'),
  },
  {
    sort: 'maePct',
    header: 'MAE',
    title: 'Maximum adverse excursion: the worst price while open, % from the entry',
    width: '66px',
    right: true,
    cell: (t) => (t.mae ? formatPercent(t.mae.pct) : '—'),
    hover: (t) => t.mae?.price,
  },
  {
    sort: 'mfePct',
    header: 'MFE',
    title: 'Maximum favourable excursion: the best price while open, % from the entry',
    width: '66px',
    right: true,
    cell: (t) => (t.mfe ? formatPercent(t.mfe.pct) : '—'),
    hover: (t) => t.mfe?.price,
  },
  {
    sort: 'signalScore',
    header: 'Signal',
    title: 'The signal score (0-100) at entry',
    width: '56px',
    right: true,
    cell: (t) => (t.signal ? plain(t.signal.score, 0) : '—'),
  },
  {
    sort: 'grossPnl',
    header: 'Gross',
    width: '96px',
    right: true,
    cell: (t) => pnl(t.quote, t.grossPnl),
    hover: (t) => t.grossPnl,
  },
  {
    sort: 'fees',
    header: 'Fees',
    width: '84px',
    right: true,
    cell: (t) => money(t.quote, t.fees),
    hover: (t) => t.fees,
  },
  {
    sort: 'status',
    header: 'Status',
    width: '60px',
    cell: (t) => (t.status === 'open' ? 'Open' : 'Closed'),
    className: (t) => (t.status === 'open' ? 'jr-open' : 'jr-dim'),
  },
  { sort: 'accountName', header: 'Account', width: 'minmax(90px, 1fr)', cell: (t) => t.accountName },
  { sort: 'strategy', header: 'Strategy', width: '72px', cell: (t) => t.strategy },
  {
    sort: 'rating',
    header: 'Rating',
    width: '70px',
    cell: (t) => (t.rating === null ? '—' : '★'.repeat(t.rating)),
    className: () => 'jr-stars',
  },
]

export const GRID = COLUMNS.map((c) => c.width).join(' ')
