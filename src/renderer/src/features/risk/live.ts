import { slot } from '../../sync'
import { notify } from '../notices/store'
import { useRiskStore } from './store'

/** The app's risk follower, open from start to end: the header's state and the kill switch's reports. */
const app = slot()

let lastKill: string | null = null

export function startRisk(): () => void {
  const mine = app.open()
  mine.follow(
    'risk.updates',
    {},
    (e) => {
      if (e.type === 'overview') useRiskStore.setState({ overview: e.overview })
      else {
        useRiskStore.setState({ kill: e.report })
        // The end of a run with retries is news the trader should hear once.
        const key = `${e.report.startedAt}:${e.report.running}`
        if (!e.report.running && lastKill !== key && e.report.finishedAt !== null) {
          lastKill = key
          notify('info', 'Kill switch done', e.report.summary, undefined, { key: 'kill-switch' })
        }
      }
    },
    { endTitle: 'Risk updates stopped' },
  )
  return () => app.close(mine)
}
