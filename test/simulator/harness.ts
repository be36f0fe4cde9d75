import { afterEach } from 'vitest'
import { readSharedJson } from '../support/shared'
import { binanceClientFor, type BinanceClient } from './ccxt-client'
import { startSimulator, type Simulator, type SimulatorOptions } from './server'

export interface Opened {
  sim: Simulator
  ex: BinanceClient
}

/**
 * Test helper: `const open = useSimulators()` then `const { sim, ex } = await open(opts)` gives a
 * fresh simulator and a ccxt client with markets loaded; both are closed after the test.
 */
export function useSimulators(): (
  opts?: SimulatorOptions,
  clientExtra?: Parameters<typeof binanceClientFor>[1],
) => Promise<Opened> {
  const sims: Simulator[] = []
  afterEach(async () => {
    await Promise.all(sims.splice(0).map((s) => s.close()))
  })
  return async (opts = {}, clientExtra = {}) => {
    const sim = await startSimulator(opts)
    sims.push(sim)
    const ex = binanceClientFor(sim, clientExtra)
    await ex.loadMarkets()
    return { sim, ex }
  }
}

/** Reads a reference file from the shared folder's reference/ at test time (never copied into the repo). */
export async function readReference<T>(relative: string): Promise<T> {
  return readSharedJson<T>(`reference/${relative}`)
}

/** The thrown value of a promise that must fail. */
export async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p
  } catch (e) {
    if (e instanceof Error) return e
    throw new Error(`rejected with a non-Error: ${String(e)}`)
  }
  throw new Error('expected a failure, got success')
}
