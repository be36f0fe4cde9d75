import { client } from '../../connection'
import { slot } from '../../sync'
import { notify } from '../notices/store'
import { rangeDefaults } from './optimize-actions'
import { useOptimizeStore } from './optimize-store'
import { FormError, paramDefaults, runRequest, symbolKey, type BacktestForm } from './form'
import { useBacktestStore } from './store'

const set = useBacktestStore.setState
const get = useBacktestStore.getState

/** The open view: its answers land only while it is open. */
const viewing = slot()
/** The run being followed: one at a time. */
const following = slot()

/** Loads strategies, markets and stored runs when the view opens; the returned function closes it. */
export function openBacktest(): () => void {
  const scope = viewing.open()
  void (async () => {
    const [strategies, symbols] = await Promise.all([
      scope.invoke('backtest.strategies', {}),
      scope.invoke('market.symbols', {}),
    ])
    if (strategies?.ok) {
      set({ strategies: strategies.value })
      const form = get().form
      const first = strategies.value.find((s) => s.id === 'sma-cross') ?? strategies.value[0]
      if (!form.strategy && first) {
        set({ form: { ...form, strategy: first.id, params: paramDefaults(first) } })
        useOptimizeStore.setState({ ranges: rangeDefaults(first) })
      }
    }
    if (symbols?.ok) {
      set({ symbols: symbols.value })
      const form = get().form
      const demo = symbols.value[0]
      if (form.symbols.length === 0 && demo)
        set({ form: { ...get().form, symbols: [symbolKey(demo.source, demo.symbol)] } })
    }
    await refreshRuns()
  })()
  return () => viewing.close(scope)
}

export async function refreshRuns(): Promise<void> {
  const res = await client().invoke('backtest.list', {})
  if (res.ok) set({ runs: res.value })
}

export function editForm(patch: Partial<BacktestForm>): void {
  const form = { ...get().form, ...patch }
  if (patch.strategy !== undefined && patch.strategy !== get().form.strategy) {
    const info = get().strategies.find((s) => s.id === patch.strategy)
    if (info) {
      form.params = paramDefaults(info)
      useOptimizeStore.setState({ ranges: rangeDefaults(info) })
    }
  }
  set({ form, formError: null })
}

export function editParam(name: string, value: string): void {
  const form = get().form
  set({ form: { ...form, params: { ...form.params, [name]: value } }, formError: null })
}

/** Starts a run from the form, follows its progress, and shows it when it is done. */
export async function startRun(): Promise<void> {
  const { form, strategies } = get()
  let request
  try {
    request = runRequest(
      form,
      strategies.find((s) => s.id === form.strategy),
    )
  } catch (err) {
    if (err instanceof FormError) return set({ formError: { field: err.field, message: err.message } })
    throw err
  }
  const res = await client().invoke('backtest.run', request)
  if (!res.ok) {
    set({ formError: { field: res.error.path ?? 'run', message: res.error.message } })
    return
  }
  const id = res.value.id
  set({
    running: {
      id,
      startedAt: Date.now(),
      updatedAt: Date.now(),
      progress: { id, status: 'running', done: 0, total: 0, error: null },
    },
  })
  void refreshRuns()
  const scope = following.open(id)
  scope.follow(
    'backtest.progress',
    { id },
    (progress) => {
      const running = get().running
      if (running?.id === id) set({ running: { ...running, progress, updatedAt: Date.now() } })
      if (progress.status !== 'running') void settle(id, progress.status, progress.error)
    },
    {
      onEnd: (error) => {
        if (error) notify('warning', 'Lost the run’s progress', error.message)
      },
    },
  )
}

async function settle(id: string, status: string, error: string | null): Promise<void> {
  following.close()
  await refreshRuns()
  if (status === 'done') {
    await openRun(id)
  } else if (status === 'failed') {
    notify('warning', 'Backtest failed', error ?? 'The run stopped with an error')
  }
}

export async function cancelRun(): Promise<void> {
  const running = get().running
  if (!running) return
  await client().invoke('backtest.cancel', { id: running.id })
}

/** Dismisses a cancelled or failed run's progress line. */
export function dismissRunning(): void {
  set({ running: null })
}

/** Reopens a stored run in the results. */
export async function openRun(id: string): Promise<void> {
  const res = await client().invoke('backtest.get', { id })
  if (res.ok) {
    set({ shown: res.value, trade: null, compare: null })
    useOptimizeStore.setState({ showing: false })
  } else notify('warning', 'Could not open the run', res.error.message)
}

export async function renameRun(id: string, name: string): Promise<void> {
  const res = await client().invoke('backtest.rename', { id, name })
  if (!res.ok) {
    notify('warning', 'Could not rename the run', res.error.message)
    return
  }
  const shown = get().shown
  if (shown?.id === id) set({ shown: { ...shown, name: res.value.name } })
  await refreshRuns()
}

export async function deleteRun(id: string): Promise<void> {
  const res = await client().invoke('backtest.delete', { id })
  if (!res.ok) {
    notify('warning', 'Could not delete the run', res.error.message)
    return
  }
  const { shown, picked } = get()
  set({ picked: picked.filter((p) => p !== id), ...(shown?.id === id ? { shown: null, trade: null } : {}) })
  await refreshRuns()
}

export function togglePick(id: string): void {
  const picked = get().picked
  set({ picked: picked.includes(id) ? picked.filter((p) => p !== id) : [...picked.slice(-1), id] })
}

/** Loads the two picked runs side by side. */
export async function compareRuns(): Promise<void> {
  const [a, b] = get().picked
  if (!a || !b) return
  const [ra, rb] = await Promise.all([
    client().invoke('backtest.get', { id: a }),
    client().invoke('backtest.get', { id: b }),
  ])
  if (ra.ok && rb.ok) {
    set({ compare: [ra.value, rb.value] })
    useOptimizeStore.setState({ showing: false })
  } else notify('warning', 'Could not open the runs', (!ra.ok ? ra.error : !rb.ok ? rb.error : null)!.message)
}

export function closeCompare(): void {
  set({ compare: null })
}

export function pickTrade(i: number | null): void {
  set({ trade: i })
}
