import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { binanceClientFor } from './ccxt-client'

const repo = fileURLToPath(new URL('../..', import.meta.url))
const tsxCli = fileURLToPath(new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url))

/** Starts `npm run simulator`'s command and collects its output. */
function startCli(args: string[]): {
  child: ChildProcessWithoutNullStreams
  output: () => string
  exited: Promise<number | null>
} {
  const child = spawn(process.execPath, [tsxCli, 'test/simulator/main.ts', ...args], { cwd: repo })
  let out = ''
  child.stdout.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr.on('data', (d: Buffer) => (out += d.toString()))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return { child, output: () => out, exited }
}

/** Resolves when the output matches (the CLI printing its banner), rejects if it exits first. */
function waitFor(cli: ReturnType<typeof startCli>, pattern: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const m = cli.output().match(pattern)
      if (m) {
        cli.child.stdout.off('data', check)
        resolve(m)
      }
    }
    cli.child.stdout.on('data', check)
    void cli.exited.then((code) => reject(new Error(`exited with ${code}: ${cli.output()}`)))
    check()
  })
}

describe('npm run simulator (test/simulator/main.ts)', () => {
  const running: ChildProcessWithoutNullStreams[] = []
  afterEach(() => {
    for (const c of running.splice(0)) if (c.exitCode === null) c.kill('SIGKILL')
  })

  it('prints its URL and credentials, serves signed requests, and closes cleanly on SIGTERM', async () => {
    const cli = startCli(['--seed', '5', '--faults', 'latency=1', '--balances', 'USDT=500,BTC=0.25'])
    running.push(cli.child)
    const banner = await waitFor(
      cli,
      /listening on (http:\/\/127\.0\.0\.1:\d+)\napi key: (\w{64})\nsecret: {2}(\w{64})\nseed: {4}5/,
    )
    const [, url = '', apiKey = '', secret = ''] = banner
    const [, wsUrl = ''] = await waitFor(cli, /websocket: (ws:\/\/\S+\/ws) \(market streams\)/)
    expect(wsUrl).toBe(`${url.replace('http', 'ws')}/ws`)
    const ex = binanceClientFor({ url, apiKey, secret })
    const balance = await ex.fetchBalance()
    expect(balance['USDT']?.free).toBe(500)
    expect(balance['BTC']?.free).toBe(0.25)
    cli.child.kill('SIGTERM')
    expect(await cli.exited).toBe(0)
    expect(cli.output()).toContain('SIGTERM: closing\nclosed')
  })
})
