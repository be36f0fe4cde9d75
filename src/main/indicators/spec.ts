import { AppError } from '../../shared/contract/errors'
import { resolveParams } from './params'
import { getIndicator } from './registry'
import type { IndicatorDescriptor, ParamValue, ParamValues } from './registry-types'

/**
 * An indicator with its parameters, written `name[:param,param...]`: `sma:20`, `macd:12,26,9`,
 * `bbands:20,2`, `obv`, `macd:12,26,9,independent`. Parameters are positional in the order the
 * registry lists them; missing or empty ones take their defaults.
 */
export interface IndicatorSpec {
  /** The spec as written; output columns are named after it. */
  text: string
  descriptor: IndicatorDescriptor
  params: ParamValues
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i

export function parseSpec(text: string): IndicatorSpec {
  const spec = text.trim()
  const colon = spec.indexOf(':')
  const name = colon === -1 ? spec : spec.slice(0, colon)
  const context = `indicator spec "${text}"`
  if (name === '') throw new AppError('validation', `${context}: missing indicator name`, 'indicator')
  let descriptor: IndicatorDescriptor
  try {
    descriptor = getIndicator(name)
  } catch (e) {
    throw e instanceof AppError ? new AppError('validation', `${context}: ${e.message}`, e.path) : e
  }
  const raw = colon === -1 ? [] : spec.slice(colon + 1).split(',')
  const defs = descriptor.params
  if (raw.length > defs.length) {
    const names = defs.map((d) => d.name).join(', ') || 'none'
    throw new AppError(
      'validation',
      `${context}: ${descriptor.id} takes at most ${defs.length} parameter(s) (${names}), got ${raw.length}`,
      'params',
    )
  }
  const given: Record<string, ParamValue> = {}
  raw.forEach((item, i) => {
    const def = defs[i]!
    const value = item.trim()
    if (value === '') return
    if (def.kind === 'choice') given[def.name] = value.toLowerCase()
    else if (NUMBER.test(value)) given[def.name] = Number(value)
    else {
      throw new AppError('validation', `${context}: ${def.name} must be a number, got "${value}"`, def.name)
    }
  })
  return { text: spec, descriptor, params: resolveParams(context, defs, given) }
}

/** Column names of a spec's outputs: the spec itself, or `spec.output` for several outputs. */
export function specColumns(spec: IndicatorSpec): string[] {
  const outs = spec.descriptor.outputs
  return outs.length === 1 ? [spec.text] : outs.map((o) => `${spec.text}.${o.name}`)
}
