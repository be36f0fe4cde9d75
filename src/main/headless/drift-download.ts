import type { IncomingMessage, ServerResponse } from 'node:http'
import type { DriftReport } from '../../shared/contract/runner'
import type { HandlerRegistry } from '../rpc/registry'
import { driftCsvText } from '../runner/drift-csv'
import { reply } from './responses'

/** Where a browser downloads a run's drift report: `/export/drift.csv?run=ID`. */
export const DRIFT_EXPORT_PATH = '/export/drift.csv'

/**
 * A run's drift report as a CSV download (runner/drift-csv.ts), beside the other exports: the
 * caller has checked the Host, the Origin and the token. The report is computed through the
 * contract (`runner.drift`), as the page would ask for it, so a missing run is its `not_found`
 * (404) and a missing `run` a 400 naming it. A report is one row per decision and fill, small
 * enough to answer in one write.
 */
export async function serveDriftDownload(
  registry: Pick<HandlerRegistry, 'invoke'>,
  url: URL,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const runId = url.searchParams.get('run')
  if (!runId) {
    reply(res, 400, { error: "run: the run's id is required (/export/drift.csv?run=ID)" })
    return
  }
  const r = await registry.invoke(
    'runner.drift',
    { runId },
    { transport: 'websocket', peer: 'export download', loopback: false },
  )
  if (!r.ok) {
    reply(res, r.error.kind === 'not_found' ? 404 : 400, { error: r.error.message })
    return
  }
  const { text, rows } = driftCsvText(r.value as DriftReport)
  const day = new Date().toISOString().slice(0, 10)
  const safeId = runId.replace(/[^A-Za-z0-9_-]/g, '_')
  res.writeHead(200, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="candlework-drift-${safeId}-${day}.csv"`,
    'Cache-Control': 'no-store',
    'X-Candlework-Rows': String(rows),
  })
  res.end(req.method === 'HEAD' ? undefined : text)
}
