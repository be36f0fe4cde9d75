import type { Alert } from '../../../../shared/contract/alerts'
import { client } from '../../connection'
import { formatPrice } from '../../lib/format'
import type { CandleChart } from '../chart/candle-chart'
import { shown } from '../chart/chart-trading'
import type { ChartLine } from '../chart/order-lines-model'
import { closeChartMenu } from '../chart/chart-trading-actions'
import { useTradeStore } from '../chart/store'
import { tickOfPrecision } from '../chart/tick-price'
import { notify, reportError } from '../notices/store'
import { openForm } from './form-actions'
import { priceLevel, specOf, withLevel } from './form-model'
import { useAlertsStore } from './store'

/**
 * Price alerts on the candle chart, as TradingView has them: the context menu's "Add alert at
 * <price>" creates one at once (last price crossing the level, once), and each active price
 * alert of the shown symbol is a line (the order lines' primitive and labels, in amber with a
 * bell) that can be dragged to move its level or removed with its ×.
 */

const OP_TAG: Record<string, string> = {
  crossing: '',
  crossing_up: '↑',
  crossing_down: '↓',
  greater: '>',
  less: '<',
}

/** The lines of the active price alerts on `source`/`symbol` (any timeframe: the level is the symbol's). */
export function alertLines(
  alerts: readonly Alert[],
  chart: { source: string; symbol: string; timeframe: string },
  precision: number,
): ChartLine[] {
  const lines: ChartLine[] = []
  for (const a of alerts) {
    if (a.status !== 'active' || a.series?.source !== chart.source || a.series.symbol !== chart.symbol)
      continue
    const level = priceLevel(a)
    if (!level || a.condition.type !== 'compare') continue
    const op = a.condition.op
    const tf = a.series.timeframe === chart.timeframe ? '' : a.series.timeframe
    lines.push({
      id: `alert:${a.id}`,
      kind: 'alert',
      order: null,
      alertId: a.id,
      field: null,
      price: level.value,
      sideText: '',
      tag: [OP_TAG[op] ?? '', tf].filter(Boolean).join(' '),
      size: '',
      priceText: formatPrice(level.value, precision),
      note: null,
      noteTone: null,
      noteHelp: null,
      tone: 'alert',
      draggable: true,
      cancellable: true,
      describe: `alert ${a.description}`,
    })
  }
  return lines
}

/** Draws the alert lines on `chart` while connected; returns what disconnects it. */
export function connectChartAlerts(chart: CandleChart): () => void {
  const update = (): void => {
    const s = shown()
    const series = useTradeStore.getState().series
    const alerts = useAlertsStore.getState().alerts ?? []
    const lines = s && series ? alertLines(alerts, series, s.precision) : []
    chart.orderLines.setLines(lines, s?.precision ?? 2, s?.tick ?? tickOfPrecision(2), 'alerts')
  }
  chart.orderLines.setHandlers({ onMove: moveAlertLine, onCancel: removeAlertLine }, 'alerts')
  const offs = [
    useAlertsStore.subscribe((s, prev) => {
      if (s.alerts !== prev.alerts) update()
    }),
    useTradeStore.subscribe((s, prev) => {
      if (s.series !== prev.series) update()
    }),
  ]
  update()
  return () => {
    for (const off of offs) off()
    chart.orderLines.setHandlers(null, 'alerts')
  }
}

const alertOf = (line: ChartLine): Alert | undefined =>
  useAlertsStore.getState().alerts?.find((a) => a.id === line.alertId)

/** Replaces an alert in the list (the stream's `changed` brings the engine's own shortly). */
function putAlert(next: Alert): void {
  useAlertsStore.setState((s) => ({ alerts: s.alerts?.map((a) => (a.id === next.id ? next : a)) ?? null }))
}

/** A dropped alert line: its level moves to `price` (exact, at the tick). */
export async function moveAlertLine(line: ChartLine, price: string): Promise<void> {
  const alert = alertOf(line)
  const moved = alert && withLevel(alert, Number(price))
  if (!alert || !moved) return
  // Drawn at once where it was let go; put back if the engine refuses.
  putAlert(moved)
  const res = await client().invoke('alerts.update', { id: alert.id, alert: specOf(moved) })
  if (!res.ok) {
    putAlert(alert)
    reportError('Could not move the alert', res.error)
  }
}

export async function removeAlertLine(line: ChartLine): Promise<void> {
  const alert = alertOf(line)
  if (!alert) return
  const res = await client().invoke('alerts.delete', { id: alert.id })
  if (!res.ok) reportError('Could not remove the alert', res.error)
  else notify('info', 'Alert removed', alert.description)
}

/** The context menu's "Add alert at <price>": last price crossing it, once, on the chart's series. */
export async function addAlertAt(price: string): Promise<void> {
  closeChartMenu()
  const series = useTradeStore.getState().series
  if (!series) return
  const res = await client().invoke('alerts.create', {
    alert: {
      series: { source: series.source, symbol: series.symbol, timeframe: series.timeframe },
      condition: {
        type: 'compare',
        left: { kind: 'price', field: 'last' },
        op: 'crossing',
        right: { kind: 'value', value: Number(price) },
      },
      evaluate: 'intrabar',
      frequency: 'once',
    },
  })
  if (!res.ok) {
    reportError(`Could not add an alert at ${formatPrice(price, series.precision)}`, res.error)
    return
  }
  const alert = res.value
  notify(
    'info',
    'Alert added',
    `${series.symbol}: last price crossing ${formatPrice(price, series.precision)}, once`,
    {
      label: 'Edit',
      run: () => openForm({ alert }),
    },
  )
}
