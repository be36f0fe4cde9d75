import { ComingLater } from '../../components/ComingLater'
import { view as alerts } from '../alerts/view'
import { view as backtest } from '../backtest/view'
import { view as health } from '../health/view'
import { view as journal } from '../journal/view'
import { view as settings } from '../settings/view'
import { view as trade } from '../chart/view'
import type { View } from './view'

/** A planned view: its nav button and a page that says plainly it is not built yet. */
function comingLater<I extends string>(id: I, label: string, summary: string): View<I> {
  const component = () => <ComingLater title={label} summary={summary} />
  return { id, label, component }
}

/** Every view, in nav order: a new view is its feature folder (with a `view.ts`) and one line here. */
export const VIEWS = [
  trade,
  backtest,
  comingLater('risk', 'Risk', 'Position sizing, exposure limits and portfolio risk measures.'),
  alerts,
  journal,
  health,
  settings,
] as const

export type ViewId = (typeof VIEWS)[number]['id']

export function viewById(id: string): (typeof VIEWS)[number] | undefined {
  return VIEWS.find((v) => v.id === id)
}
