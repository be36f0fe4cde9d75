import type { StrategyInfo } from '../../../../shared/contract/backtest'
import { client } from '../../connection'
import { slot } from '../../sync'
import { notify } from '../notices/store'
import { FormError, runRequest } from './form'
import { useOptimizeStore, type OptimizeMethod, type RangeField } from './optimize-store'
import { useBacktestStore } from './store'

const set = useOptimizeStore.setState
const get = useOptimizeStore.getState
const following = slot()

/** The strategy's search ranges as fields: the first two ranged parameters searched. */
export function rangeDefaults(info: StrategyInfo): Record<string, RangeField> {
  const out: Record<string, RangeField> = {}
  let on = 0
  for (const p of info.params) {
    if (!p.range) continue
    out[p.name] = {
      on: on++ < 2,
      from: String(p.range.min),
      to: String(p.range.max),
      step: String(p.range.step),
    }
  }
  return out
}

export function editRange(name: string, patch: Partial<RangeField>): void {
  const r = get().ranges[name]
  if (r) set({ ranges: { ...get().ranges, [name]: { ...r, ...patch } }, error: null })
}

export function editOptimize(patch: {
  method?: OptimizeMethod
  trials?: string
  objective?: string
  folds?: string
  minTrades?: string
}): void {
  set({ ...patch, error: null })
}

/** Starts a search from the Backtest form's market, costs and sizing and the ranges ticked. */
export async function startOptimize(): Promise<void> {
  const { form, strategies } = useBacktestStore.getState()
  const info = strategies.find((s) => s.id === form.strategy)
  const { ranges, method, trials, objective, folds, minTrades } = get()
  let run
  try {
    run = runRequest(form, info)
  } catch (err) {
    if (err instanceof FormError) return set({ error: err.message })
    throw err
  }
  const searched = Object.entries(ranges).filter(([, r]) => r.on)
  if (searched.length === 0) return set({ error: 'Tick at least one parameter to search' })
  const parsed = []
  for (const [name, r] of searched) {
    const [a, b, c] = [Number(r.from), Number(r.to), Number(r.step)]
    if (![a, b, c].every(Number.isFinite) || c <= 0 || b < a)
      return set({ error: `${name}: from ≤ to and a step above 0` })
    parsed.push({ name, from: a, to: b, step: c })
  }
  const k = Number(folds)
  if (!Number.isInteger(k) || k < 0 || k > 20)
    return set({ error: 'Walk-forward folds: a whole number 0 to 20' })
  const mt = Number(minTrades)
  if (!Number.isInteger(mt) || mt < 0) return set({ error: 'Minimum trades: a whole number' })
  const n = Number(trials)
  if (method !== 'grid' && (!Number.isInteger(n) || n < 1 || n > 10_000))
    return set({ error: 'Trials: a whole number 1 to 10,000' })
  const res = await client().invoke('backtest.optimize', {
    strategy: run.strategy,
    params: run.params ?? {},
    ranges: parsed,
    method,
    ...(method === 'grid' ? {} : { trials: n }),
    objective,
    walkForward: k,
    minTrades: mt,
    symbols: run.symbols,
    timeframe: run.timeframe,
    settings: run.settings ?? {},
  })
  if (!res.ok) return set({ error: res.error.message })
  const id = res.value.id
  const now = Date.now()
  set({
    showing: true,
    sort: null,
    search: {
      id,
      startedAt: now,
      updatedAt: now,
      progress: { id, status: 'running', done: 0, total: 0, error: null, result: null },
    },
  })
  following.open(id).follow(
    'backtest.optimizeProgress',
    { id },
    (progress) => {
      const s = get().search
      if (s?.id === id) set({ search: { ...s, progress, updatedAt: Date.now() } })
      if (progress.status === 'failed') notify('warning', 'Optimisation failed', progress.error ?? '')
    },
    {
      onEnd: (error) => {
        if (error) notify('warning', 'Lost the optimisation’s progress', error.message)
      },
    },
  )
}

export async function cancelOptimize(): Promise<void> {
  const s = get().search
  if (s) await client().invoke('backtest.cancel', { id: s.id })
}

export function sortBy(key: string): void {
  const s = get().sort
  set({ sort: { key, desc: s?.key === key ? !s.desc : true } })
}

export function showOptimize(showing: boolean): void {
  set({ showing })
}
