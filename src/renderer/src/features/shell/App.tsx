import { ComingLater } from '../../components/ComingLater'
import { Notices } from '../notices/Notices'
import { SettingsView } from '../settings/SettingsView'
import { TradeView } from '../trade/TradeView'
import { NavBar } from './NavBar'
import { StatusBar } from './StatusBar'
import { useShellStore, type ViewId } from './store'

export function App() {
  const view = useShellStore((s) => s.view)
  return (
    <div className="app">
      <NavBar />
      <main className="app-main" data-view={view}>
        <View id={view} />
      </main>
      <StatusBar />
      <Notices />
    </div>
  )
}

function View({ id }: { id: ViewId }) {
  switch (id) {
    case 'trade':
      return <TradeView />
    case 'settings':
      return <SettingsView />
    case 'backtest':
      return (
        <ComingLater
          title="Backtest"
          summary="Run strategies over stored history with costs and slippage, and compare the results."
        />
      )
    case 'risk':
      return (
        <ComingLater title="Risk" summary="Position sizing, exposure limits and portfolio risk measures." />
      )
    case 'alerts':
      return <ComingLater title="Alerts" summary="Price and indicator alerts with desktop notifications." />
    case 'journal':
      return (
        <ComingLater title="Journal" summary="A trade journal with notes, tags and performance review." />
      )
    case 'health':
      return (
        <ComingLater title="Health" summary="Connection, feed latency and storage checks for the engine." />
      )
  }
}
