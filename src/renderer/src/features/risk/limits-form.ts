import { RISK_DEFAULTS, type RiskLimits, type RiskOverview } from '../../../../shared/contract/risk'

/** The limits form's fields, in order, with what the trader reads beside them. */
export const LIMIT_FIELDS = [
  { key: 'currency', label: 'Currency', kind: 'text', hint: 'money limits and P&L are in it' },
  {
    key: 'maxOrderNotional',
    label: 'Max order notional',
    kind: 'decimal',
    hint: 'amount × price of one order',
  },
  {
    key: 'maxPositionNotional',
    label: 'Max position per symbol',
    kind: 'decimal',
    hint: 'notional after the order',
  },
  { key: 'maxExposure', label: 'Max total exposure', kind: 'decimal', hint: 'all positions’ notional' },
  { key: 'maxOpenOrders', label: 'Max open orders', kind: 'integer', hint: 'resting at once' },
  { key: 'maxOrdersPerSecond', label: 'Orders per second', kind: 'integer', hint: 'accepted in any 1 s' },
  { key: 'maxOrdersPerMinute', label: 'Orders per minute', kind: 'integer', hint: 'accepted in any 60 s' },
  { key: 'dailyLossLimit', label: 'Daily loss limit', kind: 'decimal', hint: 'realised + unrealised today' },
  { key: 'dailyLossAction', label: 'On daily loss', kind: 'action', hint: 'until the reset' },
  { key: 'dailyResetHour', label: 'Day starts at hour', kind: 'integer', hint: '0–23' },
  { key: 'dailyResetTimeZone', label: 'in time zone', kind: 'text', hint: 'IANA, e.g. Europe/Berlin' },
  { key: 'maxDrawdownPercent', label: 'Max drawdown %', kind: 'decimal', hint: 'from peak equity' },
  { key: 'maxLeverage', label: 'Max leverage', kind: 'decimal', hint: 'exposure ÷ equity' },
  { key: 'allowedSymbols', label: 'Allowed symbols', kind: 'symbols', hint: 'comma separated; empty: any' },
] as const satisfies readonly { key: keyof RiskLimits; label: string; kind: string; hint: string }[]

export type LimitKey = (typeof LIMIT_FIELDS)[number]['key']
export type LimitTexts = Record<LimitKey, string>

const show = (v: unknown): string =>
  v === null || v === undefined ? '' : Array.isArray(v) ? v.join(', ') : String(v)

/** The texts of a scope's own limits (empty where it sets none). */
export function textsOf(limits: RiskLimits): LimitTexts {
  return Object.fromEntries(LIMIT_FIELDS.map((f) => [f.key, show(limits[f.key])])) as LimitTexts
}

/** What applies where a field is left empty: the global value for an account, else the default ("none" for no limit). */
export function fallbackOf(o: RiskOverview, scope: string, key: LimitKey): string {
  const inherited = scope === 'global' ? undefined : o.globalLimits[key]
  const v = inherited !== undefined ? inherited : RISK_DEFAULTS[key]
  return v === null ? 'none' : show(v)
}

/** Reads the form into limits (empty fields left out); a field that is not a number is named. */
export function readLimits(texts: LimitTexts): { limits: RiskLimits } | { error: string } {
  const out: Record<string, unknown> = {}
  for (const f of LIMIT_FIELDS) {
    const t = texts[f.key].trim()
    if (t === '') continue
    if (f.kind === 'integer') {
      if (!/^\d+$/.test(t)) return { error: `${f.label}: a whole number` }
      out[f.key] = Number(t)
    } else if (f.kind === 'decimal') {
      if (!/^\d+(\.\d+)?$/.test(t)) return { error: `${f.label}: a number such as 500 or 12.5` }
      out[f.key] = t
    } else if (f.kind === 'symbols') {
      out[f.key] = t
        .split(',')
        .map((s) => s.trim().toUpperCase())
        .filter((s) => s !== '')
    } else if (f.kind === 'text' && f.key === 'currency') out[f.key] = t.toUpperCase()
    else out[f.key] = t
  }
  return { limits: out as RiskLimits }
}
