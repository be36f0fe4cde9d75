import { AppError } from '../../shared/contract/errors'
import type { IndicatorInstance } from '../../shared/contract/charting'
import { getIndicator, resolveParams, type IndicatorDescriptor, type ParamValues } from '../indicators'
import { warmupRule, type WarmupRule } from './warmup'

/** An instance checked against the registry, with its parameters complete. */
export interface ResolvedInstance {
  descriptor: IndicatorDescriptor
  params: ParamValues
  rule: WarmupRule
  /** Per output: bars the chart shifts it by (+ = right). */
  offsets: number[]
}

/**
 * Checks every instance against the registry. A bad one is a `validation` error whose path
 * names it as the request does (`params.instances[1].params.period`).
 */
export function resolveInstances(instances: readonly IndicatorInstance[], root: string): ResolvedInstance[] {
  return instances.map((inst, i) => resolveInstance(inst, `${root}[${i}]`))
}

export function resolveInstance(
  inst: Pick<IndicatorInstance, 'id' | 'params'>,
  at: string,
): ResolvedInstance {
  let descriptor: IndicatorDescriptor
  try {
    descriptor = getIndicator(inst.id)
  } catch (e) {
    throw rewrap(e, `${at}.id`)
  }
  let params: ParamValues
  try {
    params = resolveParams(descriptor.id, descriptor.params, inst.params)
  } catch (e) {
    throw rewrap(e, e instanceof AppError && e.path ? `${at}.params.${e.path}` : `${at}.params`)
  }
  return {
    descriptor,
    params,
    rule: warmupRule(descriptor.id, params),
    offsets: descriptor.outputs.map((o) => (o.offset ? o.offset(params) : 0)),
  }
}

function rewrap(e: unknown, path: string): unknown {
  if (!(e instanceof AppError)) return e
  return new AppError(e.kind, `${path}: ${e.message}`, path)
}

/** NaN (warm-up, undefined values) becomes null on the wire. */
export function nullable(col: ArrayLike<number>): (number | null)[] {
  const out = new Array<number | null>(col.length)
  for (let i = 0; i < col.length; i++) {
    const v = col[i]!
    out[i] = Number.isFinite(v) ? v : null
  }
  return out
}

/** Values converted between pauses by `nullableSteps`: ~0.2-1 ms of work here. */
const NULLABLE_STEP = 16_384

/** `nullable`, yielding after every `NULLABLE_STEP` values (run it with `runInSlices`). */
export function* nullableSteps(col: ArrayLike<number>): Generator<void, (number | null)[], undefined> {
  const out = new Array<number | null>(col.length)
  for (let i = 0; i < col.length;) {
    const end = Math.min(col.length, i + NULLABLE_STEP)
    for (; i < end; i++) {
      const v = col[i]!
      out[i] = Number.isFinite(v) ? v : null
    }
    if (i < col.length) yield
  }
  return out
}
