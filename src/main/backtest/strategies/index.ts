/** The built-in strategies, by id. */
import { AppError } from '../../../shared/contract/errors'
import type { StrategyDefinition } from '../strategy'
import {
  bollingerBreakout,
  bollingerReversion,
  donchianBreakout,
  rsiReversion,
  supertrendFollow,
} from './bands'
import { emaCross, macdCross, smaCross } from './cross'
import { signalScore } from './signal-score'

export const STRATEGIES: readonly StrategyDefinition[] = [
  smaCross,
  emaCross,
  macdCross,
  rsiReversion,
  bollingerReversion,
  bollingerBreakout,
  donchianBreakout,
  supertrendFollow,
  signalScore,
] as unknown as readonly StrategyDefinition[]

export function getStrategy(id: string): StrategyDefinition {
  const s = STRATEGIES.find((d) => d.id === id)
  if (!s)
    throw new AppError(
      'validation',
      `Unknown strategy "${id}"; built in: ${STRATEGIES.map((d) => d.id).join(', ')}`,
    )
  return s
}
