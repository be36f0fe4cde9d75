/**
 * A strategy run's decisions with a user strategy file (docs/BACKTEST.md "User strategy files"):
 * the file lives in its own worker thread for the run's life (./user-worker.ts), loaded once, its
 * instance keeping state between bars. A syntax error or an exception (loading or deciding)
 * answers an AppError naming the file and the line; a decision that does not return within
 * `barTimeoutMs` (a loop) gets the worker terminated. After a failure the decider is closed: the
 * runner pauses the run and a resume opens a new one.
 *
 * The worker isolates mistakes; it is not a sandbox: the file is code the trader runs.
 */
import type { Worker } from 'node:worker_threads'
import { AppError } from '../../shared/contract/errors'
import type { OrderIntent } from '../backtest/strategy'
import { workerSpawner } from '../compute/spawn'
import type { CandleSeries } from '../indicators'
import type { RunAccount } from './decide'
import { USER_DECIDER_MARK, type DeciderReply, type DeciderRequest } from './user-protocol'
import workerModule from './user-worker?modulePath'

const spawn = workerSpawner(workerModule, new URL('./user-worker.ts', import.meta.url), USER_DECIDER_MARK)

export interface UserDeciderOptions {
  /** Longest one decision may take (1 s, as in a backtest). */
  barTimeoutMs?: number
  /** Longest loading may take (10 s: the worker's start and transpiling). */
  loadTimeoutMs?: number
}

export class UserDecider {
  private closed = false

  private constructor(
    private readonly worker: Worker,
    readonly file: string,
    readonly params: Record<string, unknown>,
    readonly hasExits: boolean,
    private readonly barTimeoutMs: number,
  ) {}

  /** Loads the file and makes its instance with `params`; rejects with the file's error. */
  static async open(
    file: string,
    params: Record<string, unknown>,
    opts: UserDeciderOptions = {},
  ): Promise<UserDecider> {
    const worker = spawn()
    worker.unref()
    try {
      const reply = await ask(
        worker,
        { type: 'open', file, params },
        opts.loadTimeoutMs ?? 10_000,
        () => `${file}: loading took longer than ${opts.loadTimeoutMs ?? 10_000} ms; stopped`,
      )
      if (reply.type !== 'ready') throw new AppError('internal', 'strategy thread answered out of turn')
      return new UserDecider(worker, file, reply.params, reply.hasExits, opts.barTimeoutMs ?? 1_000)
    } catch (err) {
      void worker.terminate()
      throw err
    }
  }

  /** The decision on the series' last bar; rejects (and closes) with the file's error. */
  async decide(symbol: string, series: CandleSeries, account: RunAccount): Promise<OrderIntent[]> {
    if (this.closed) throw new AppError('unavailable', `${this.file}: its strategy thread is closed`)
    try {
      const reply = await ask(
        this.worker,
        { type: 'decide', symbol, series, account },
        this.barTimeoutMs,
        () => {
          const t = series.time[series.time.length - 1]
          return `${this.file}: the decision on the bar of ${t === undefined ? '?' : new Date(t).toISOString()} took longer than ${this.barTimeoutMs} ms (a loop?); stopped`
        },
      )
      if (reply.type !== 'decided') throw new AppError('internal', 'strategy thread answered out of turn')
      return reply.orders
    } catch (err) {
      this.close()
      throw err
    }
  }

  get isClosed(): boolean {
    return this.closed
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    void this.worker.terminate()
  }
}

/** One request, its one reply: a `failed` reply or a timeout rejects with AppError('validation'). */
function ask(
  worker: Worker,
  req: DeciderRequest,
  timeoutMs: number,
  late: () => string,
): Promise<DeciderReply> {
  return new Promise((resolve, reject) => {
    const done = (): void => {
      clearTimeout(timer)
      worker.off('message', onMessage)
      worker.off('error', onError)
    }
    const onMessage = (r: DeciderReply): void => {
      done()
      if (r.type === 'failed') reject(new AppError('validation', r.message))
      else resolve(r)
    }
    const onError = (err: Error): void => {
      done()
      reject(
        new AppError('validation', `${req.type === 'open' ? req.file : 'strategy thread'}: ${err.message}`),
      )
    }
    const timer = setTimeout(() => {
      done()
      void worker.terminate()
      reject(new AppError('validation', late()))
    }, timeoutMs)
    worker.on('message', onMessage)
    worker.once('error', onError)
    worker.postMessage(req)
  })
}
