import { RISK_DEFAULTS, type EffectiveRiskLimits, type RiskLimits } from '../../shared/contract/risk'
import { Decimal } from '../trading/decimal'

const KEYS = Object.keys(RISK_DEFAULTS) as (keyof EffectiveRiskLimits)[]

/**
 * The limits that apply to an account: its own where set (null turns one off), else the
 * global one, else the default.
 */
export function mergeLimits(global: RiskLimits, account: RiskLimits): EffectiveRiskLimits {
  const out: Record<string, unknown> = {}
  for (const k of KEYS) {
    out[k] = account[k] !== undefined ? account[k] : global[k] !== undefined ? global[k] : RISK_DEFAULTS[k]
  }
  return out as EffectiveRiskLimits
}

/** Limits parsed once for the order check: decimals parsed, the symbol list a set. */
export interface CompiledLimits {
  source: EffectiveRiskLimits
  currency: string
  maxOrderNotional: Decimal | null
  maxPositionNotional: Decimal | null
  maxExposure: Decimal | null
  maxOpenOrders: number | null
  maxOrdersPerSecond: number | null
  maxOrdersPerMinute: number | null
  dailyLossLimit: Decimal | null
  dailyLossAction: 'halt' | 'reduce'
  dailyResetHour: number
  dailyResetTimeZone: string
  maxDrawdownPercent: Decimal | null
  maxLeverage: Decimal | null
  allowedSymbols: ReadonlySet<string> | null
}

const dec = (s: string | null): Decimal | null => (s === null ? null : Decimal.parse(s))

export function compileLimits(l: EffectiveRiskLimits): CompiledLimits {
  return {
    source: l,
    currency: l.currency,
    maxOrderNotional: dec(l.maxOrderNotional),
    maxPositionNotional: dec(l.maxPositionNotional),
    maxExposure: dec(l.maxExposure),
    maxOpenOrders: l.maxOpenOrders,
    maxOrdersPerSecond: l.maxOrdersPerSecond,
    maxOrdersPerMinute: l.maxOrdersPerMinute,
    dailyLossLimit: dec(l.dailyLossLimit),
    dailyLossAction: l.dailyLossAction,
    dailyResetHour: l.dailyResetHour,
    dailyResetTimeZone: l.dailyResetTimeZone,
    maxDrawdownPercent: dec(l.maxDrawdownPercent),
    maxLeverage: dec(l.maxLeverage),
    allowedSymbols: l.allowedSymbols ? new Set(l.allowedSymbols) : null,
  }
}
