/** A strategy's form description (StrategyInfo) from its definition: no I/O, so the strategy worker uses it too. */
import { z } from 'zod'
import type { StrategyInfo } from '../../shared/contract/backtest'
import type { StrategyDefinition } from './strategy'

/** A strategy's parameters for a form, from its zod schema (JSON Schema) and its ranges. */
export function strategyInfoOf(def: StrategyDefinition, id: string = def.id): StrategyInfo {
  const schema = z.toJSONSchema(def.params, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<
      string,
      {
        type?: string
        default?: unknown
        minimum?: number
        maximum?: number
        enum?: string[]
        description?: string
      }
    >
  }
  const params = Object.entries(schema.properties ?? {}).map(([name, p]) => ({
    name,
    kind: p.enum
      ? ('choice' as const)
      : p.type === 'integer'
        ? ('integer' as const)
        : p.type === 'boolean'
          ? ('boolean' as const)
          : ('number' as const),
    default: p.default as number | string | boolean,
    min: p.minimum ?? null,
    max: p.maximum ?? null,
    range: def.ranges[name] ?? null,
    choices: p.enum ?? null,
    description: p.description ?? '',
  }))
  return { id, title: def.title, description: def.description, params }
}
