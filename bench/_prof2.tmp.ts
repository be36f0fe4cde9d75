import { computeMetrics } from '../src/main/backtest/stats'
const N = 1_000_000
const time = Float64Array.from({ length: N }, (_, i) => Date.UTC(2022, 0, 1) + i * 60000)
let s = 1
const rand = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1
const e = new Float64Array(N); e[0] = 1e4
for (let i = 1; i < N; i++) e[i] = e[i - 1]! * (1 + 0.001 * rand() + 0.00001)
for (let k = 0; k < 60; k++) computeMetrics({ time, equity: e })
