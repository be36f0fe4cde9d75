import { useEffect } from 'react'
import { openBacktest } from './actions'
import './backtest.css'
import { Compare } from './Compare'
import { LiveRuns } from './LiveRuns'
import { useOptimizeStore } from './optimize-store'
import { OptimizeResults } from './OptimizeResults'
import { Results } from './Results'
import { RunForm } from './RunForm'
import { RunsList } from './RunsList'
import { useBacktestStore } from './store'

/** Backtests: the form and the stored runs on the left, the shown run (or two compared) on the right. */
export function BacktestView() {
  useEffect(() => openBacktest(), [])
  const shown = useBacktestStore((s) => s.shown)
  const compare = useBacktestStore((s) => s.compare)
  const optimizing = useOptimizeStore((s) => (s.showing ? s.search : null))
  return (
    <section className="bt" data-testid="backtest-view" aria-labelledby="backtest-title">
      <aside className="bt-side">
        <h1 id="backtest-title">Backtest</h1>
        <RunForm />
        <RunsList />
      </aside>
      <div className="bt-main">
        <LiveRuns />
        {optimizing?.progress.result ? (
          <OptimizeResults result={optimizing.progress.result} />
        ) : compare ? (
          <Compare runs={compare} />
        ) : shown ? (
          <Results run={shown} />
        ) : (
          <p className="bt-dim bt-empty">
            Choose a strategy and a market, then Run. Finished runs are kept in the list.
          </p>
        )}
      </div>
    </section>
  )
}
