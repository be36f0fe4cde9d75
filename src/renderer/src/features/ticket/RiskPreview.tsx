import type { LimitHeadroom, OrderRiskPreview } from '../../../../shared/contract/risk-preview'
import { useTradingStore } from '../desk/store'
import { useRiskPreview } from './risk-preview'

const UNIT: Record<LimitHeadroom['unit'], string> = {
  money: '',
  count: '',
  percent: ' %',
  ratio: 'x',
  list: '',
}

/**
 * The order's effect on the account's risk, under the engine's check: the 1-day 95 % VaR before
 * and after, each limit the order meets (now → after / limit, red where it breaks or where the
 * rule would refuse it: the check above says why). Numbers for an order since changed stay, dimmed, until the new ones come.
 */
export function RiskPreview() {
  const { sig, result } = useRiskPreview()
  const checkSig = useTradingStore((s) => s.check.sig)
  if (result === null || checkSig === '') return null
  const stale = sig !== checkSig
  const rows = result.limits.filter((l) => l.applies && l.unit !== 'list')
  return (
    <div
      className="tk-risk"
      data-testid="ticket-risk"
      data-stale={stale || undefined}
      aria-label="Risk preview"
      aria-busy={stale}
    >
      <dl className="tk-kv">
        <dt title="The account's 1-day 95 % historical value at risk of its positions, before → after this order">
          VaR 1d 95%
        </dt>
        <dd className="num" data-testid="ticket-risk-var" title={result.var.note}>
          {varText(result)}
        </dd>
        {rows.map((l) => {
          const breaks =
            result.refusal?.rule === l.rule || (l.headroom !== null && l.headroom.startsWith('-'))
          return [
            <dt key={`${l.rule}-k`} title={l.note ?? undefined}>
              {l.label}
            </dt>,
            <dd
              key={`${l.rule}-v`}
              className={`num${breaks ? ' tk-risk-breaks' : ''}`}
              data-testid={`ticket-risk-${l.rule}`}
              title={l.headroom !== null ? `Headroom ${l.headroom}${UNIT[l.unit]}` : undefined}
            >
              {l.now !== null && l.now !== l.after ? `${l.now} → ` : ''}
              {l.after ?? '—'} / {l.limit}
              {UNIT[l.unit]}
            </dd>,
          ]
        })}
      </dl>
    </div>
  )
}

function varText(p: OrderRiskPreview): string {
  const { before, after } = p.var
  if (before === null) return '—'
  const f = (x: number | null): string => (x === null ? '?' : x.toFixed(2))
  return `${f(before)} → ${f(after)} ${p.currency}`
}
