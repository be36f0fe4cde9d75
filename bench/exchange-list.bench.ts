import { exchangeCatalog, loadCcxt } from '../src/main/exchange/ccxt-loader'
import { report } from './harness'

/**
 * The exchange picker's list (`exchange.list`): ccxt knows an exchange's name and required
 * credentials only on an instance, so the first call makes one of each (once per engine); every
 * later call is answered from memory. Reports the ccxt import, that one build, and a cached call.
 */
export async function run(): Promise<void> {
  let t0 = performance.now()
  const ccxt = await loadCcxt()
  report({ name: 'exchange_list.ccxt_import', value: round(performance.now() - t0), unit: 'ms' })
  t0 = performance.now()
  const catalog = await exchangeCatalog(ccxt)
  report({
    name: 'exchange_list.first_call',
    value: round(performance.now() - t0),
    unit: 'ms',
    exchanges: catalog.size,
  })
  const runs: number[] = []
  for (let i = 0; i < 200; i++) {
    t0 = performance.now()
    await exchangeCatalog(ccxt)
    runs.push(performance.now() - t0)
  }
  runs.sort((a, b) => a - b)
  report({ name: 'exchange_list.cached_call', value: round(runs[100]!, 3), unit: 'ms', runs: runs.length })
}

function round(ms: number, digits = 1): number {
  const f = 10 ** digits
  return Math.round(ms * f) / f
}
