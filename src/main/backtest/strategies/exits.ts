/**
 * The stop-loss / take-profit / trailing-stop parameters every built-in strategy shares.
 * Distances are given in percent of the entry price (2 = 2 %) or as ATR multiples
 * (`exitUnit: 'atr'`, ATR of `atrPeriod` bars at the signal bar); 0 turns an exit off.
 */
import { z } from 'zod'
import type { ExitDistance, ExitRules, IndicatorUse, ParamRange } from '../strategy'

export const exitParams = {
  stopLoss: z.number().min(0).default(0).describe('stop-loss distance (0 = none)'),
  takeProfit: z.number().min(0).default(0).describe('take-profit distance (0 = none)'),
  trailing: z.number().min(0).default(0).describe('trailing-stop distance (0 = none)'),
  exitUnit: z
    .enum(['percent', 'atr'])
    .default('percent')
    .describe('exit distances in percent or ATR multiples'),
  atrPeriod: z.number().int().min(1).max(1000).default(14).describe('ATR period for ATR distances'),
}

export const exitRanges: Record<string, ParamRange> = {
  stopLoss: { min: 0, max: 20, step: 0.5 },
  takeProfit: { min: 0, max: 50, step: 1 },
  trailing: { min: 0, max: 20, step: 0.5 },
  atrPeriod: { min: 2, max: 100, step: 1 },
}

interface ExitParamValues {
  stopLoss: number
  takeProfit: number
  trailing: number
  exitUnit: 'percent' | 'atr'
  atrPeriod: number
}

/** The strategy's indicators with the ATR appended when an exit needs it, and the exit rules. */
export function withExits(
  uses: IndicatorUse[],
  p: ExitParamValues,
): { indicators: IndicatorUse[]; exits: ExitRules } {
  const dist = (v: number): ExitDistance | undefined =>
    v > 0
      ? p.exitUnit === 'atr'
        ? { kind: 'atr', value: v }
        : { kind: 'percent', value: v / 100 }
      : undefined
  const exits: ExitRules = {
    stopLoss: dist(p.stopLoss),
    takeProfit: dist(p.takeProfit),
    trailing: dist(p.trailing),
  }
  const needsAtr = p.exitUnit === 'atr' && (p.stopLoss > 0 || p.takeProfit > 0 || p.trailing > 0)
  if (!needsAtr) return { indicators: uses, exits }
  return {
    indicators: [...uses, { id: 'atr', params: { period: p.atrPeriod } }],
    exits: { ...exits, atrSlot: uses.length },
  }
}
