import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { percentile, report } from './harness'

/**
 * Headless host: from process start to /healthz answering, for the built host (out/main/serve.js,
 * what `npm run serve` runs). Median and worst of several cold starts.
 */
export async function run(): Promise<void> {
  const entry = 'out/main/serve.js'
  if (!existsSync(entry)) {
    report({ name: 'host.start_to_healthz', value: NaN, unit: 'ms', skipped: 'run `npm run build` first' })
    return
  }
  const times: number[] = []
  for (let i = 0; i < 7; i++) times.push(await startOnce(entry))
  times.sort((a, b) => a - b)
  report({
    name: 'host.start_to_healthz',
    value: Math.round(percentile(times, 50)),
    unit: 'ms',
    max: Math.round(times.at(-1)!),
    runs: times.length,
    goal: 1000,
  })
}

async function startOnce(entry: string): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'cw-bench-host-'))
  const port = 20000 + Math.floor(Math.random() * 20000)
  const t0 = performance.now()
  const child = spawn(process.execPath, [entry, '--port', String(port), '--data-dir', dir], {
    stdio: 'ignore',
  })
  try {
    for (;;) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`)
        if (res.ok) return performance.now() - t0
      } catch {
        // not listening yet
      }
      if (performance.now() - t0 > 10_000) throw new Error('host did not answer /healthz within 10 s')
      await new Promise((r) => setTimeout(r, 5))
    }
  } finally {
    child.kill('SIGTERM')
    await new Promise((r) => child.once('exit', r))
    rmSync(dir, { recursive: true, force: true })
  }
}
