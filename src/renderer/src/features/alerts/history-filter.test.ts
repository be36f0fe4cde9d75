import { describe, expect, it } from 'vitest'
import type { Firing } from '../../../../shared/contract/alerts'
import { exportPath } from '../journal/export-download'
import { historyExport, historyParams, isFiltering, matchesFilter, NO_FILTER } from './history-filter-model'

const firing = (f: Partial<Firing>): Firing => ({
  id: 1,
  alertId: 'a1',
  alertName: 'n',
  series: null,
  kind: 'compare',
  symbol: 'BTC/USDT',
  time: new Date(2026, 11, 7, 12).getTime(),
  barTime: null,
  away: false,
  message: 'm',
  values: {},
  read: false,
  deliveries: [],
  ...f,
})

describe('the history filter', () => {
  it('sends only what is set, local days with the last one included', () => {
    expect(isFiltering(NO_FILTER)).toBe(false)
    expect(historyParams(NO_FILTER)).toEqual({ limit: 200 })
    const f = {
      ...NO_FILTER,
      symbol: ' ETH/USDT ',
      kind: 'risk_limit_hit' as const,
      from: '2026-12-01',
      to: '2026-12-07',
    }
    expect(isFiltering(f)).toBe(true)
    expect(historyParams(f)).toEqual({
      limit: 200,
      symbol: 'ETH/USDT',
      kind: 'risk_limit_hit',
      from: new Date(2026, 11, 1).getTime(),
      to: new Date(2026, 11, 8).getTime() - 1,
    })
  })

  it('lets an arriving firing join the filtered list only when it matches every part', () => {
    const f = {
      ...NO_FILTER,
      alertId: 'a1',
      symbol: 'BTC/USDT',
      kind: 'compare' as const,
      from: '2026-12-07',
      to: '2026-12-07',
    }
    expect(matchesFilter(firing({}), f)).toBe(true)
    expect(matchesFilter(firing({ alertId: 'a2' }), f)).toBe(false)
    expect(matchesFilter(firing({ symbol: 'ETH/USDT' }), f)).toBe(false)
    expect(matchesFilter(firing({ kind: 'order' }), f)).toBe(false)
    expect(matchesFilter(firing({ time: new Date(2026, 11, 8).getTime() }), f)).toBe(false)
    expect(matchesFilter(firing({ time: new Date(2026, 11, 6, 23, 59).getTime() }), f)).toBe(false)
    expect(matchesFilter(firing({ kind: 'order', symbol: null }), NO_FILTER)).toBe(true)
  })
})

describe('the history download', () => {
  it('asks the host for every firing the filter matches, its last day included', () => {
    expect(historyExport(NO_FILTER)).toEqual({ kind: 'alerts', columns: [], excel: false })
    const r = historyExport({
      alertId: 'a1',
      symbol: ' BTC/USDT ',
      kind: 'compare',
      from: '2026-12-01',
      to: '2026-12-02',
    })
    expect(r).toEqual({
      kind: 'alerts',
      columns: [],
      excel: false,
      alert: 'a1',
      symbol: 'BTC/USDT',
      firingKind: 'compare',
      from: new Date(2026, 11, 1).getTime(),
      to: new Date(2026, 11, 3).getTime(),
    })
    expect(exportPath(r)).toBe(
      `/export/alerts.csv?from=${r.from}&to=${r.to}&alert=a1&symbol=BTC%2FUSDT&kind=compare`,
    )
  })
})
