import { FIRING_KINDS } from '../../shared/contract/alerts'
import type { Db } from '../storage/database'
import { ExportError, type RowWriter } from './columns'
import type { ExportFilter, LineSource } from './sources'

const PAGE = 1000

/**
 * The alert history's rows (`alert_firings` as `t`), filtered by alert (id or name), symbol, kind
 * and time [from, to), oldest first, read a page at a time by keyset on (time, id), each page in
 * one read transaction (as `timeOrderedSource`).
 */
export function alertHistorySource(db: Db, writer: RowWriter, filter: ExportFilter): LineSource {
  const where: string[] = []
  const params: Record<string, unknown> = {}
  if (filter.kind !== undefined) {
    if (!(FIRING_KINDS as readonly string[]).includes(filter.kind))
      throw new ExportError(`--kind: "${filter.kind}" is not one of ${FIRING_KINDS.join(', ')}`)
    where.push('t.kind = @kind')
    params.kind = filter.kind
  }
  if (filter.alert !== undefined) {
    where.push('(t.alert_id = @alert OR t.alert_name = @alert)')
    params.alert = filter.alert
  }
  if (filter.symbol !== undefined) {
    where.push('t.symbol = @symbol')
    params.symbol = filter.symbol
  }
  if (filter.from !== undefined) {
    where.push('t.time >= @from')
    params.from = filter.from
  }
  if (filter.to !== undefined) {
    where.push('t.time < @to')
    params.to = filter.to
  }
  const cond = where.length ? where.join(' AND ') : '1'
  const total = (
    db.prepare(`SELECT COUNT(*) AS n FROM alert_firings t WHERE ${cond}`).get(params) as { n: number }
  ).n
  const select = `SELECT ${writer.selects.join(', ')}, t.time, t.id FROM alert_firings t WHERE ${cond}`
  const first = db.prepare(`${select} ORDER BY t.time, t.id LIMIT ${PAGE}`).raw(true)
  const next = db
    .prepare(`${select} AND (t.time, t.id) > (@lastTime, @lastId) ORDER BY t.time, t.id LIMIT ${PAGE}`)
    .raw(true)
  const exact = db
    .prepare(`SELECT ${writer.exactSelects.join(', ')} FROM alert_firings t WHERE t.id = ?`)
    .raw(true)
  const k = writer.selects.length
  const readPage = db.transaction((after: unknown[] | undefined) => {
    const rows = (
      after ? next.all({ ...params, lastTime: after[k], lastId: after[k + 1] }) : first.all(params)
    ) as unknown[][]
    const lines = rows.map((row) => writer.line(row) ?? writer.exactLine(exact.get(row[k + 1]) as unknown[]))
    return { lines, last: rows.at(-1) }
  })
  function* lines(): Generator<readonly string[]> {
    let page = readPage(undefined)
    for (;;) {
      yield page.lines
      if (page.lines.length < PAGE) return
      page = readPage(page.last)
    }
  }
  return { total, lines: lines() }
}
