/**
 * A client that asks for large answers and never reads them must not exhaust the host. Runs the
 * built host (`out-test/main/serve.js`, the main process `npm run serve` runs: the test build
 * differs only in its renderer) in a child process, so its RSS can
 * be read from /proc and `/healthz` is served by the same event loop that serves the client. In
 * the end-to-end phase, which runs one test at a time, so the bound measures the host and not
 * the other test files running beside it.
 *
 * Before backpressure, eight `charting.series` requests of 100,000 bars with five indicators
 * from a socket that reads nothing took the host past 2.6 GB and held `/healthz` for seconds.
 */
import { readFileSync } from 'node:fs'
import WebSocket from 'ws'
import { expect, test } from '@playwright/test'
import { startHost, tempDataDir } from './host'

test.setTimeout(90_000)

/** How long the misbehaving client keeps at it while the host is watched. */
const DURATION_MS = 15_000
const RSS_LIMIT = 1 << 30
/**
 * Every `/healthz` check answers within 100 ms. A `charting.series` call of 100,000 bars does
 * 40-65 ms of work on the main thread (the demo bars before the worker runs, the conversion of
 * its columns after); it does it in slices of under ~10 ms with the event loop's turns handed
 * out one at a time between them (src/main/market/slices.ts), so several such calls at once no
 * longer chain into one long stall (the p95 printed is for information). Before backpressure the
 * host did not answer for over 6 s.
 */
const HEALTHZ_WORST_MS = 100

/** The process's resident memory; 0 once it has gone. */
function rssBytes(pid: number): number {
  let status: string
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8')
  } catch {
    return 0
  }
  return Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1] ?? 0) * 1024
}

const SERIES = {
  source: 'demo',
  symbol: 'BTC/USDT',
  timeframe: '1m',
  limit: 100_000,
  instances: [
    { id: 'sma', params: { period: 20 } },
    { id: 'ema', params: { period: 50 } },
    { id: 'bbands' },
    { id: 'rsi' },
    { id: 'macd' },
  ],
}

/**
 * One connection that sends eight large requests, stops reading (its socket paused, as a
 * frozen tab's would be) and keeps sending one more every 100 ms until the host closes it.
 * Resolves with whether the host closed it (rather than the test, at `stopAt`).
 */
function misbehave(base: string, token: string, stopAt: number): Promise<boolean> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${base.replace('http', 'ws')}/ws`, {
      headers: { Authorization: `Bearer ${token}` },
      maxPayload: 1 << 30,
    })
    let id = 1
    let timer: ReturnType<typeof setInterval> | undefined
    const ask = () =>
      ws.send(JSON.stringify({ type: 'invoke', id: id++, name: 'charting.series', params: SERIES }))
    ws.on('open', () => {
      for (let i = 0; i < 8; i++) ask()
      ws.pause()
      timer = setInterval(() => {
        if (Date.now() > stopAt) ws.terminate()
        else if (ws.readyState === WebSocket.OPEN) ask()
      }, 100)
    })
    ws.on('error', () => {})
    ws.on('close', () => {
      clearInterval(timer)
      resolve(Date.now() <= stopAt)
    })
  })
}

test(`a client that does not read keeps the host under 1 GB and every /healthz check answering within ${HEALTHZ_WORST_MS} ms`, async () => {
  const dir = tempDataDir()
  const host = await startHost(dir.path)
  try {
    const { pid, url: base, token, output } = host
    // One answer first, read: the host is warm (JIT, demo history) before it is watched.
    await new Promise<void>((resolve, reject) => {
      const ws = new WebSocket(`${base.replace('http', 'ws')}/ws`, {
        headers: { Authorization: `Bearer ${token}` },
        maxPayload: 1 << 30,
      })
      ws.on('open', () =>
        ws.send(JSON.stringify({ type: 'invoke', id: 1, name: 'charting.series', params: SERIES })),
      )
      ws.on('message', (d) => {
        const m = JSON.parse(d.toString()) as { type: string; result?: { ok: boolean } }
        if (m.type !== 'result') return
        ws.close()
        if (m.result?.ok) resolve()
        else reject(new Error(d.toString().slice(0, 300)))
      })
      ws.on('error', reject)
    })

    const stopAt = Date.now() + DURATION_MS
    let maxRss = 0
    const healthzMs: number[] = []
    let healthzFailed = 0
    const sampler = setInterval(() => (maxRss = Math.max(maxRss, rssBytes(pid))), 50)
    const healthz = (async () => {
      while (Date.now() < stopAt) {
        const t0 = performance.now()
        const ok = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(10_000) }).then(
          async (res) => (await res.arrayBuffer(), res.status === 200),
          () => false,
        )
        healthzMs.push(performance.now() - t0)
        if (!ok) healthzFailed++
        await new Promise((r) => setTimeout(r, 100))
      }
    })()
    let cutOff = 0
    const client = (async () => {
      while (Date.now() < stopAt) if (await misbehave(base, token, stopAt)) cutOff++
    })()
    await Promise.all([healthz, client])
    clearInterval(sampler)
    healthzMs.sort((a, b) => a - b)
    const p95 = healthzMs[Math.floor(healthzMs.length * 0.95)] ?? Infinity
    const worst = healthzMs[healthzMs.length - 1] ?? Infinity

    process.stdout.write(
      `${JSON.stringify({
        maxRssMB: Math.round(maxRss / 2 ** 20),
        healthzP95Ms: Math.round(p95),
        healthzWorstMs: Math.round(worst),
        healthzChecks: healthzMs.length,
        healthzFailed,
        cutOff,
      })}\n`,
    )
    if (healthzFailed > 0) process.stdout.write(`host output:\n${output().slice(-2000)}\n`)
    expect(healthzFailed).toBe(0) // the host stayed up, and healthy
    expect(healthzMs.length).toBeGreaterThan(DURATION_MS / 400)
    // The host cut the client off (its close reason is tested in backpressure.test.ts).
    expect(cutOff).toBeGreaterThan(0)
    expect(maxRss).toBeLessThan(RSS_LIMIT)
    expect(worst).toBeLessThan(HEALTHZ_WORST_MS)
  } finally {
    await host.stop()
    dir.remove()
  }
})
