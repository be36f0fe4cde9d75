import { AppError } from '../../shared/contract/errors'
import type { ParamDescriptor, ParamValue, ParamValues } from './registry-types'

/**
 * Fills defaults and validates parameter values against their descriptors. `context` starts
 * every error message (the indicator id, or the spec as the user wrote it).
 */
export function resolveParams(
  context: string,
  descriptors: readonly ParamDescriptor[],
  given: Readonly<Record<string, ParamValue | undefined>> = {},
): ParamValues {
  for (const name of Object.keys(given)) {
    if (!descriptors.some((d) => d.name === name)) {
      const known = descriptors.map((d) => d.name).join(', ') || 'none'
      throw new AppError('validation', `${context}: unknown parameter "${name}" (parameters: ${known})`, name)
    }
  }
  const out: Record<string, ParamValue> = {}
  for (const d of descriptors) {
    const value = given[d.name] ?? d.default
    out[d.name] = checkParam(context, d, value)
  }
  return out
}

function checkParam(context: string, d: ParamDescriptor, value: ParamValue): ParamValue {
  if (d.kind === 'choice') {
    if (typeof value !== 'string' || !d.choices.includes(value)) {
      throw new AppError(
        'validation',
        `${context}: ${d.name} must be one of ${d.choices.join(', ')}, got ${String(value)}`,
        d.name,
      )
    }
    return value
  }
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (d.kind === 'number' || Number.isInteger(value)) &&
    (d.exclusiveMin ? value > d.min : value >= d.min)
  if (!ok) {
    const what = d.kind === 'integer' ? 'an integer' : 'a number'
    throw new AppError(
      'validation',
      `${context}: ${d.name} must be ${what} ${d.exclusiveMin ? '>' : '>='} ${d.min}, got ${String(value)}`,
      d.name,
    )
  }
  return value
}

/** Reads a resolved numeric parameter. */
export function num(p: ParamValues, name: string): number {
  const v = p[name]
  if (typeof v !== 'number') throw new AppError('internal', `parameter ${name} is not a number`)
  return v
}

/** Reads a resolved choice parameter. */
export function choice<T extends string>(p: ParamValues, name: string): T {
  const v = p[name]
  if (typeof v !== 'string') throw new AppError('internal', `parameter ${name} is not a choice`)
  return v as T
}
