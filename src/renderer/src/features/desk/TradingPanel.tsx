import './trading.css'
import { useCallback, useEffect, useSyncExternalStore } from 'react'
import { useTradeStore } from '../chart/store'
import { AccountBar } from '../accounts/AccountBar'
import { DeleteAccountDialog, RemoveKeysDialog } from '../accounts/AccountDelete'
import { AccountsDialog, LiveOnDialog } from '../accounts/Accounts'
import { setTicketOpen, ticketOnSide, toggleTicket } from '../ticket/actions'
import { useShortcut } from '../shell/shortcuts'
import { openTrading } from '../accounts/actions'
import { Blotter } from '../blotter/Blotter'
import { ClosePositionDialog } from '../ticket/ClosePositionDialog'
import { LiveConfirmDialog } from '../ticket/LiveConfirmDialog'
import { ResetPaperDialog } from '../accounts/ResetPaperDialog'
import { Equity } from '../blotter/Equity'
import { OrderTicket } from '../ticket/OrderTicket'
import { selectAccount, useTradingStore } from './store'
import { ModeBadge } from '../accounts/AccountList'
import { MarketDepth } from '../book/MarketDepth'

const onBuyKey = (): void => ticketOnSide('buy')
const onSellKey = (): void => ticketOnSide('sell')

/** Below this width the chart needs the room: the ticket folds to a rail unless opened. */
const NARROW = '(max-width: 1439px)'

const subscribeNarrow = (onChange: () => void): (() => void) => {
  const mq = matchMedia(NARROW)
  mq.addEventListener('change', onChange)
  return () => mq.removeEventListener('change', onChange)
}
const isNarrow = (): boolean => matchMedia(NARROW).matches

/**
 * Trading in the Trade view: the order ticket in a column right of the chart (account, ticket,
 * equity) and the blotter docked under the chart. Mounted as one child of `.trade`; the two
 * parts place themselves in its grid (trading.css), so the chart keeps most of the window.
 * F9 opens the ticket with the cursor in its size field.
 */
export function TradingPanel() {
  useEffect(() => openTrading(), [])
  const narrow = useSyncExternalStore(subscribeNarrow, isNarrow)
  const pref = useTradingStore((s) => s.ticketPref)
  const folded = pref === 'closed' || (pref === 'auto' && narrow)
  useShortcut(
    'ticket',
    useCallback(() => toggleTicket(folded), [folded]),
  )
  useShortcut('buy', onBuyKey)
  useShortcut('sell', onSellKey)
  return (
    <>
      <aside
        className={folded ? 'tk tk-folded' : 'tk'}
        aria-label="Trading"
        data-testid="trading-panel"
        data-folded={folded}
      >
        {folded ? (
          <TicketRail />
        ) : (
          <>
            <div className="panel-title">
              <span>Order ticket</span>
              <span className="tk-title-end">
                <TicketSymbol />
                <button
                  type="button"
                  className="tk-fold"
                  aria-label="Fold the order ticket"
                  title="Fold the order ticket (F9 opens it)"
                  onClick={() => setTicketOpen(false)}
                >
                  »
                </button>
              </span>
            </div>
            <AccountBar />
            <OrderTicket />
            <MarketDepth />
            <Equity />
          </>
        )}
        <LiveConfirmDialog />
        <ResetPaperDialog />
        <ClosePositionDialog />
        <AccountsDialog />
        <LiveOnDialog />
        <DeleteAccountDialog />
        <RemoveKeysDialog />
      </aside>
      <Blotter />
    </>
  )
}

/** The folded ticket: a rail that says which account is active and opens the ticket. */
function TicketRail() {
  const mode = useTradingStore((s) => selectAccount(s)?.mode ?? 'paper')
  return (
    <button
      type="button"
      className="tk-rail"
      data-testid="ticket-open"
      title="Open the order ticket (F9)"
      onClick={() => setTicketOpen(true)}
    >
      <span aria-hidden="true">«</span>
      <ModeBadge account={{ mode }} />
      <span className="tk-rail-label">Order ticket</span>
    </button>
  )
}

function TicketSymbol() {
  const symbol = useTradeStore((s) => s.selected?.symbol ?? null)
  return (
    <span className="tk-title-symbol" data-testid="ticket-symbol">
      {symbol ?? '—'}
    </span>
  )
}
