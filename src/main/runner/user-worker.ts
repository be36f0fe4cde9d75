/**
 * The thread a strategy run of a user file decides in (built as its own chunk: see
 * ./user-decider.ts). It loads the file once (backtest/user/load.ts: transpiled, errors located
 * in the trader's source), makes the strategy's instance with the run's parameters, then answers
 * one decision per closed bar with the backtester's code (decide.ts), so the instance keeps its
 * state between bars as it does in a backtest. Imported anywhere else it does nothing.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { AppError } from '../../shared/contract/errors'
import { describeError, loadStrategyFile } from '../backtest/user/load'
import type { StrategyInstance } from '../backtest/strategy'
import { decideOnLastBar } from './decide'
import { USER_DECIDER_MARK, type DeciderReply, type DeciderRequest } from './user-protocol'

export default ''

function serve(post: (r: DeciderReply) => void): (req: DeciderRequest) => void {
  let instance: StrategyInstance | null = null
  let file = ''
  const failed = (err: unknown, what: string): DeciderReply => ({
    type: 'failed',
    message: err instanceof AppError ? err.message : `${file}: ${what}${describeError(err, file)}`,
  })
  return (req) => {
    if (req.type === 'open') {
      file = req.file
      try {
        const loaded = loadStrategyFile(req.file)
        file = loaded.file
        const params = loaded.def.params.parse(req.params) as Record<string, unknown>
        instance = loaded.def.create(params)
        const { stopLoss, takeProfit, trailing } = instance.exits
        post({ type: 'ready', params, hasExits: Boolean(stopLoss || takeProfit || trailing) })
      } catch (err) {
        post(failed(err, ''))
      }
      return
    }
    if (!instance) return post({ type: 'failed', message: `${file}: not loaded` })
    const i = req.series.time.length - 1
    try {
      post({ type: 'decided', orders: [...decideOnLastBar(instance, req.symbol, req.series, req.account)] })
    } catch (err) {
      const when = i >= 0 ? new Date(req.series.time[i]!).toISOString() : '?'
      post(failed(err, `failed on the bar of ${when} (${req.symbol}): `))
    }
  }
}

if (workerData === USER_DECIDER_MARK && parentPort) {
  const port = parentPort
  const handle = serve((r) => port.postMessage(r))
  port.on('message', handle)
}
