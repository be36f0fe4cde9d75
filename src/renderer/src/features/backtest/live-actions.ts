import type { RunSchedule } from '../../../../shared/contract/runner'
import { client } from '../../connection'
import { notify } from '../notices/store'
import { FormError, runRequest } from './form'
import { useLiveStore } from './live-store'
import { useBacktestStore } from './store'

const set = useLiveStore.setState
const get = useLiveStore.getState

/** The paper account every install has (trading's DEFAULT_ACCOUNT_ID). */
export const DEMO_PAPER = 'demo-paper'
const POLL_MS = 2_000

/** Lists the runs now and every 2 s while the view is open (their P&L moves with their fills). */
export function followLiveRuns(): () => void {
  let on = true
  const tick = async () => {
    if (!on) return
    await refreshLiveRuns()
    if (on) timer = setTimeout(() => void tick(), POLL_MS)
  }
  let timer = setTimeout(() => void tick(), 0)
  return () => {
    on = false
    clearTimeout(timer)
  }
}

export async function refreshLiveRuns(): Promise<void> {
  const res = await client().invoke('runner.list', {})
  if (res.ok) set({ runs: res.value })
}

export function openStart(open: boolean): void {
  set({ starting: open, error: null, liveConfirm: '' })
  if (open) void loadAccounts()
}

/** The accounts a run can trade on: paper and live (an imported account only holds old fills). */
async function loadAccounts(): Promise<void> {
  const res = await client().invoke('trading.accounts', {})
  if (!res.ok) return
  const accounts = res.value.filter((a) => a.mode !== 'imported')
  const kept = accounts.some((a) => a.id === get().accountId)
  set({ accounts, ...(kept ? {} : { accountId: DEMO_PAPER }) })
}

/**
 * Starts the form's strategy and parameters on its first market, on the chosen account (the demo
 * paper account unless another is picked; a live one armed by its name typed).
 */
export async function startRun(): Promise<void> {
  const { form, strategies } = useBacktestStore.getState()
  let request
  try {
    request = runRequest(
      form,
      strategies.find((s) => s.id === form.strategy),
    )
  } catch (err) {
    if (err instanceof FormError) return set({ error: { field: err.field, message: err.message } })
    throw err
  }
  const market = request.symbols[0]!
  const account = get().accounts.find((a) => a.id === get().accountId)
  const res = await client().invoke('runner.start', {
    strategyId: request.strategy,
    params: request.params,
    accountId: get().accountId,
    source: market.source,
    symbol: market.symbol,
    timeframe: request.timeframe,
    allocation: get().allocation.trim(),
    ...(account?.mode === 'live' ? { liveConfirm: get().liveConfirm } : {}),
  })
  if (!res.ok) return set({ error: { field: res.error.path ?? 'start', message: res.error.message } })
  set({ starting: false, error: null, liveConfirm: '' })
  notify(
    'info',
    'Strategy running',
    `${request.strategy} on ${market.symbol} ${request.timeframe}, ${account?.name ?? 'Demo paper'}`,
  )
  await refreshLiveRuns()
}

export async function pauseRun(runId: string, pause: boolean): Promise<void> {
  const res = await client().invoke(pause ? 'runner.pause' : 'runner.resume', { runId })
  if (!res.ok) notify('warning', pause ? 'Could not pause' : 'Could not resume', res.error.message)
  await refreshLiveRuns()
}

export async function stopRun(runId: string, closePositions: boolean): Promise<void> {
  set({ stopping: null })
  const res = await client().invoke('runner.stop', { runId, closePositions })
  if (!res.ok) notify('warning', 'Could not stop', res.error.message)
  await refreshLiveRuns()
}

/** Puts the run under the scheduler's Start strategies / Stop strategies tasks (their times are set on Health). */
export async function setRunSchedule(runId: string, schedule: RunSchedule): Promise<void> {
  const res = await client().invoke('runner.setSchedule', { runId, schedule })
  if (!res.ok) notify('warning', 'Could not set the schedule', res.error.message)
  await refreshLiveRuns()
}

/** Shows the run's drift report (or hides it when it is shown). */
export async function toggleDrift(runId: string): Promise<void> {
  if (get().drift?.runId === runId) return set({ drift: null })
  const res = await client().invoke('runner.drift', { runId })
  if (!res.ok) {
    notify('warning', 'No drift report', res.error.message)
    return
  }
  set({ drift: res.value })
}
