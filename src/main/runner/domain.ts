import type { runnerContract } from '../../shared/contract/runner'
import type { Domain } from '../domain'
import { RunnerService, type RunnerOptions } from './service'

export interface RunnerDomain extends Domain<typeof runnerContract> {
  readonly service: RunnerService
}

/**
 * Strategies on paper and live accounts (docs/BACKTEST.md "Running strategies on accounts"): runs decide on
 * closed bars with the backtester's code and trade through the order path and the risk engine.
 */
export function createRunnerDomain(deps: RunnerOptions): RunnerDomain {
  const service = new RunnerService(deps)
  return {
    name: 'runner',
    service,
    handlers: {
      'runner.start': (p) => service.startRun(p),
      'runner.pause': ({ runId }) => service.pause(runId),
      'runner.resume': ({ runId }) => service.resume(runId),
      'runner.stop': ({ runId, closePositions }) => service.stop(runId, closePositions),
      'runner.drift': ({ runId }) => service.drift(runId),
      'runner.list': () => service.list(),
    },
    start: () => {
      service.start().catch((err: unknown) => deps.log.error('strategy runs did not resume', err))
    },
    close: () => service.close(),
  }
}
