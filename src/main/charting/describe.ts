import type { IndicatorInfo } from '../../shared/contract/charting'
import { INDICATORS, resolveParams } from '../indicators'
import { describeRule, warmupRule } from './warmup'

/** The registry as plain data for the picker (functions dropped, defaults spelled out). */
export function describeIndicators(): IndicatorInfo[] {
  return INDICATORS.map((d) => ({
    id: d.id,
    title: d.title,
    description: d.description,
    pane: d.pane,
    inputs: [...d.inputs],
    params: d.params.map((p) =>
      p.kind === 'choice'
        ? {
            name: p.name,
            kind: p.kind,
            default: p.default,
            choices: [...p.choices],
            description: p.description,
          }
        : {
            name: p.name,
            kind: p.kind,
            default: p.default,
            min: p.min,
            exclusiveMin: p.exclusiveMin ?? false,
            description: p.description,
          },
    ),
    outputs: d.outputs.map((o) => ({
      name: o.name,
      description: o.description,
      plot: o.plot,
      shifted: o.offset !== undefined,
    })),
    warmup: describeRule(warmupRule(d.id, resolveParams(d.id, d.params))),
  }))
}
