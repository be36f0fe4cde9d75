/**
 * A child process of indicators.bench.ts: times one library on one case, in an isolate (and heap)
 * of its own, when the parent asks. Messages in: `{ lib, name }` once, then `{ reps }` per round;
 * out: `{ ready, bars }` after the warm-up, then `{ ms }` (the best of `reps` single runs).
 */
import { type CaseName, type Lib, type Runner, N, makeRunner } from './indicators-cases'

/** A peer run longer than this on 1M bars is measured on fewer bars instead. */
const PEER_BUDGET_MS = 1000

/** How many bars a peer runs on: 1M if that fits the budget, else fewer (recorded). */
function peerBars(peer: Runner): number {
  const probe = 50_000
  peer.run(probe)
  const t0 = performance.now()
  peer.run(probe)
  const estimate = ((performance.now() - t0) / probe) * N
  if (estimate <= PEER_BUDGET_MS) return N
  return Math.max(probe, Math.floor((N * PEER_BUDGET_MS) / estimate / 10_000) * 10_000)
}

let runner: Runner | null = null
let bars = N

function send(msg: object): void {
  process.send!(msg)
}

process.on('message', (msg: { lib?: Lib; name?: CaseName; reps?: number }) => {
  if (msg.lib !== undefined && msg.name !== undefined) {
    runner = makeRunner(msg.lib, msg.name)
    if (msg.lib === 'technicalindicators' || msg.lib === 'tradingSignals') bars = peerBars(runner)
    else for (let i = 0; i < 30; i++) runner.run(N)
    send({ ready: true, bars })
    return
  }
  if (msg.reps !== undefined && runner !== null) {
    let best = Infinity
    for (let k = 0; k < msg.reps; k++) {
      const t0 = performance.now()
      runner.run(bars)
      best = Math.min(best, performance.now() - t0)
    }
    send({ ms: best })
  }
})

// The parent disconnects when it is done with this case.
process.on('disconnect', () => process.exit(0))
