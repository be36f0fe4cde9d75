/**
 * The strategy worker's thread entry (built as its own chunk: see ./run.ts): loads one user
 * strategy file and runs one backtest with it. Before each decision it writes the bar's index
 * and a sequence number into shared memory, so the main thread can stop a decision that does
 * not return (a loop) and say which bar it was on. Imported anywhere else it does nothing.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { AppError } from '../../../shared/contract/errors'
import type { SymbolSeries } from '../engine'
import { strategyInfoOf } from '../info'
import { runDefinition, type RunSpec } from '../run'
import type { BarState, StrategyDefinition } from '../strategy'
import { describeError, loadStrategyFile } from './load'
import { STRATEGY_WORKER_MARK, WATCH, type StrategyWorkerReply } from './protocol'

export default ''

export interface StrategyWorkerRequest {
  file: string
  spec: RunSpec
  data: SymbolSeries[]
  /** Int32Array over it: see WATCH. */
  watch: SharedArrayBuffer
  /** Only load the file and describe it (for listings), no run. */
  describeOnly?: boolean
}

/** The definition with every decision announced in `watch` and its errors located. */
function watched(def: StrategyDefinition, w: Int32Array, file: string): StrategyDefinition {
  return {
    ...def,
    create(params) {
      const inst = def.create(params)
      const decide = inst.decide.bind(inst)
      return {
        indicators: inst.indicators,
        exits: inst.exits,
        decide(bar: BarState) {
          Atomics.store(w, WATCH.bar, bar.index)
          Atomics.add(w, WATCH.seq, 1)
          Atomics.store(w, WATCH.phase, WATCH.deciding)
          let out
          try {
            out = decide(bar)
          } catch (err) {
            throw new AppError(
              'validation',
              `${file}: failed on bar ${bar.index} (${bar.symbol} ${new Date(bar.time).toISOString()}): ${describeError(err, file)}`,
            )
          }
          Atomics.store(w, WATCH.phase, WATCH.between)
          return out
        },
      }
    },
  }
}

function serve(
  req: StrategyWorkerRequest,
  progress: (done: number, total: number) => void,
): StrategyWorkerReply {
  const w = new Int32Array(req.watch)
  try {
    const loaded = loadStrategyFile(req.file)
    if (req.describeOnly) return { type: 'described', def: describe(loaded.def) }
    Atomics.store(w, WATCH.phase, WATCH.between)
    const out = runDefinition(
      watched(loaded.def, w, loaded.file),
      req.spec,
      req.data,
      { onProgress: progress },
      loaded.source,
    )
    return { type: 'done', out }
  } catch (err) {
    const message = err instanceof AppError ? err.message : `${req.file}: ${describeError(err, req.file)}`
    return { type: 'failed', message }
  } finally {
    Atomics.store(w, WATCH.phase, WATCH.finished)
  }
}

/** What crosses back for a listing: plain data (functions and zod schemas do not clone). */
function describe(def: StrategyDefinition): Extract<StrategyWorkerReply, { type: 'described' }>['def'] {
  return {
    id: def.id,
    title: def.title,
    description: def.description,
    defaults: def.params.parse({}) as Record<string, unknown>,
    ranges: { ...def.ranges },
    info: strategyInfoOf(def),
  }
}

if (workerData === STRATEGY_WORKER_MARK && parentPort) {
  const port = parentPort
  port.once('message', (req: StrategyWorkerRequest) =>
    port.postMessage(serve(req, (done, total) => port.postMessage({ type: 'progress', done, total }))),
  )
}
