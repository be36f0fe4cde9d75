import { ModeBadge } from '../accounts/AccountList'
import { useShallow } from 'zustand/react/shallow'
import { openReset } from '../accounts/actions'
import { showTab } from './actions'
import { Balances } from './BlotterBalances'
import { Events } from './BlotterEvents'
import { Fills } from './BlotterFills'
import { History, OpenOrders } from './BlotterOrders'
import { Positions } from './BlotterPositions'
import {
  selectAccount,
  selectOpenOrders,
  selectOpenPositionCount,
  useTradingStore,
  type BlotterTab,
} from '../desk/store'

const TAB_LABELS: Record<BlotterTab, string> = {
  positions: 'Positions',
  open: 'Open orders',
  history: 'Order history',
  fills: 'Fills',
  balances: 'Balances',
  events: 'Reconciliation',
}

/**
 * The dock under the chart: positions, working orders, history, fills, balances and
 * reconciliation differences of the selected account, kept current from `trading.updates`.
 */
export function Blotter() {
  const tab = useTradingStore((s) => s.tab)
  const account = useTradingStore(selectAccount)
  const counts = useTradingStore(
    useShallow((s) => ({
      positions: selectOpenPositionCount(s),
      // Lost submissions may be working orders: counted until looked up.
      open: selectOpenOrders(s).length + s.lost.filter((l) => l.accountId === s.accountId).length,
      history: null,
      fills: null,
      balances: null,
      events: s.unseenEvents > 0 ? s.unseenEvents : null,
    })),
  )
  return (
    <section className="blotter" aria-label="Orders and positions" data-testid="blotter">
      <div className="bl-tabs" role="tablist" aria-label="Trading lists">
        {(Object.keys(TAB_LABELS) as BlotterTab[]).map((t) => (
          <button
            key={t}
            type="button"
            role="tab"
            id={`bl-tab-${t}`}
            aria-selected={tab === t}
            aria-controls="bl-panel"
            className="bl-tab"
            data-testid={`blotter-tab-${t}`}
            onClick={() => showTab(t)}
          >
            {TAB_LABELS[t]}
            {counts[t] !== null && counts[t] > 0 && (
              <span className={`bl-count${t === 'events' ? ' bl-count-warn' : ''}`}>{counts[t]}</span>
            )}
          </button>
        ))}
        <span className="bl-spacer" />
        {account && (
          <span className="bl-account">
            <ModeBadge account={account} />
            {account.name}
          </span>
        )}
        {account?.mode === 'paper' && (
          <button
            type="button"
            className="btn btn-small"
            data-testid="reset-paper"
            title="Cancel every order, forget fills and positions, and restore the starting balance"
            aria-label="Reset paper…"
            onClick={() => openReset(true)}
          >
            {/* "paper" gives way in a narrow window, so the tabs and the button fit. */}
            Reset<span className="bl-wide"> paper</span>…
          </button>
        )}
      </div>
      <div className="bl-body" role="tabpanel" id="bl-panel" aria-labelledby={`bl-tab-${tab}`}>
        {tab === 'positions' && <Positions />}
        {tab === 'open' && <OpenOrders />}
        {tab === 'history' && <History />}
        {tab === 'fills' && <Fills />}
        {tab === 'balances' && <Balances />}
        {tab === 'events' && <Events />}
      </div>
    </section>
  )
}
