import { useEffect } from 'react'
import { SignalPanel } from '../signals/SignalPanel'
import { TradingPanel } from '../desk/TradingPanel'
import { openTrade } from './actions'
import { ChartHeader } from './ChartHeader'
import { ChartPanel } from './ChartPanel'
import { SymbolList } from './SymbolList'

export function TradeView() {
  useEffect(() => openTrade(), [])
  return (
    <div className="trade">
      <SymbolList />
      <section className="chart-area" aria-label="Chart">
        <ChartHeader />
        <ChartPanel />
      </section>
      <SignalPanel />
      <TradingPanel />
    </div>
  )
}
