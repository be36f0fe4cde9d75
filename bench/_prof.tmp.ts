import { returnsAndSums, spread, cumulativeLogs } from '../src/main/backtest/stats/kernel'
import { computeMetrics } from '../src/main/backtest/stats'
const N = 1_000_000
const time = Float64Array.from({ length: N }, (_, i) => Date.UTC(2022, 0, 1) + i * 60000)
let s = 1
const rand = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1
const e = new Float64Array(N); e[0] = 1e4
for (let i = 1; i < N; i++) e[i] = e[i - 1]! * (1 + 0.001 * rand() + 0.00001)
const r = new Float64Array(N - 1), y = new Float64Array(N - 1)
const t = (name: string, f: () => unknown) => { for (let k = 0; k < 3; k++) f(); let best = 1e9; for (let k = 0; k < 15; k++) { const a = performance.now(); f(); best = Math.min(best, performance.now() - a) } console.log(name.padEnd(14), best.toFixed(2)) }
const sums = returnsAndSums(e, r, 0, 0)
t('spread', () => spread(r, N - 1, sums, 0, 0, 0))
t('logs', () => cumulativeLogs(r, N - 1, y))
t('TOTAL', () => computeMetrics({ time, equity: e }))
