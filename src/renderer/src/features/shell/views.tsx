import { view as alerts } from '../alerts/view'
import { view as backtest } from '../backtest/view'
import { view as dashboard } from '../dashboard/view'
import { view as health } from '../health/view'
import { view as journal } from '../journal/view'
import { view as risk } from '../risk/view'
import { view as settings } from '../settings/view'
import { view as trade } from '../chart/view'

/** Every view, in nav order: a new view is its feature folder (with a `view.ts`) and one line here. */
export const VIEWS = [dashboard, trade, backtest, risk, alerts, journal, health, settings] as const

export type ViewId = (typeof VIEWS)[number]['id']

export function viewById(id: string): (typeof VIEWS)[number] | undefined {
  return VIEWS.find((v) => v.id === id)
}
