/**
 * `npm run simulator -- [--port P] [--seed N] [--faults SPEC] [--api-key K] [--secret S]
 *                       [--balances USDT=1000,BTC=0.5] [--skew MS] [--weight-limit N]
 *                       [--partial-fills FRACTION] [--refuse-ws]`
 *
 * Starts the loopback Binance simulator, prints its URL and websocket URLs, the API key and secret it accepts
 * (random unless given) and a ccxt configuration, then runs until SIGINT or SIGTERM and closes
 * cleanly. SPEC is the fault grammar documented in faults.ts, e.g.
 * "latency=50,timeout=0.02,429=0.05,5xx=0.05,drop-after-accept=0.05". `--refuse-ws` answers every
 * websocket upgrade with 503 (clients then fall back to REST polling).
 */
import { parseArgs } from 'node:util'
import { parseFaultSpec } from './faults'
import { startSimulator, type SimulatorOptions } from './server'

function parseBalances(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const pair of text.split(',')) {
    const [asset, amount] = pair.split('=').map((s) => s.trim())
    if (!asset || !amount) throw new Error(`--balances: "${pair}" is not ASSET=AMOUNT`)
    out[asset] = amount
  }
  return out
}

function int(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined
  const n = Number(text)
  if (!Number.isInteger(n)) throw new Error(`${flag} needs an integer, got "${text}"`)
  return n
}

/** Plain stdout lines (console.log is reserved for debugging by the lint rules). */
const say = (line: string) => process.stdout.write(`${line}\n`)

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      seed: { type: 'string' },
      faults: { type: 'string' },
      'api-key': { type: 'string' },
      secret: { type: 'string' },
      balances: { type: 'string' },
      skew: { type: 'string' },
      'weight-limit': { type: 'string' },
      'partial-fills': { type: 'string' },
      'refuse-ws': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) {
    say(
      'usage: npm run simulator -- [--port P] [--seed N] [--faults SPEC] [--api-key K] [--secret S]\n' +
        '       [--balances USDT=1000,BTC=0.5] [--skew MS] [--weight-limit N] [--partial-fills FRACTION]\n' +
        '       [--refuse-ws]',
    )
    return
  }
  const opts: SimulatorOptions = {}
  const port = int(values.port, '--port')
  const seed = int(values.seed, '--seed')
  const skew = int(values.skew, '--skew')
  const weightLimit = int(values['weight-limit'], '--weight-limit')
  if (port !== undefined) opts.port = port
  if (values.host !== undefined) opts.host = values.host
  if (seed !== undefined) opts.seed = seed
  if (values.faults !== undefined) opts.faults = parseFaultSpec(values.faults)
  if (values['api-key'] !== undefined) opts.apiKey = values['api-key']
  if (values.secret !== undefined) opts.secret = values.secret
  if (values.balances !== undefined) opts.balances = parseBalances(values.balances)
  if (skew !== undefined) opts.clockSkewMs = skew
  if (weightLimit !== undefined) opts.weightLimitPerMinute = weightLimit
  if (values['partial-fills'] !== undefined)
    opts.limitFills = { mode: 'partial', fraction: Number(values['partial-fills']) }

  if (values['refuse-ws']) opts.websocket = { refuse: true }

  const sim = await startSimulator(opts)
  say(`simulator listening on ${sim.url}`)
  say(`api key: ${sim.apiKey}`)
  say(`secret:  ${sim.secret}`)
  say(`seed:    ${sim.seed}`)
  say(`faults:  ${values.faults ?? 'none'}`)
  say(`markets: ${sim.state.symbols().join(', ')}`)
  say(`websocket: ${sim.wsUrl} (market streams), ${sim.ws.apiUrl} (WebSocket API, user data)`)
  const u = sim.url
  say(
    [
      'ccxt:    new ccxt.binance({ apiKey, secret, enableRateLimit: false,',
      `           urls: { api: { public: '${u}/api/v3', private: '${u}/api/v3', v1: '${u}/api/v1', sapi: '${u}/sapi/v1' } },`,
      "           options: { defaultType: 'spot', fetchMarkets: { types: ['spot'] }, fetchCurrencies: false, fetchMargins: false } })",
      '         (in tests: binanceClientFor(sim) from test/simulator/ccxt-client.ts)',
      `ccxt.pro: the same, plus urls.api.ws = { spot: '${sim.wsUrl}', 'ws-api': { spot: '${sim.ws.apiUrl}' } }`,
      '         and httpAgent = new http.Agent() for plain ws:// (binanceProClientFor(sim) in tests)',
    ].join('\n'),
  )

  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    say(`${signal}: closing`)
    sim.close().then(
      () => {
        say('closed')
        process.exit(0)
      },
      (e: unknown) => {
        console.error(e)
        process.exit(1)
      },
    )
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e)
  process.exit(2)
})
