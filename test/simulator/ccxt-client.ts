import { Agent } from 'node:http'
import ccxt from 'ccxt'

export type BinanceClient = InstanceType<typeof ccxt.binance>

/** Where ccxt's binance class sends each API family; every one is re-pointed at the simulator. */
let apiPaths: Record<string, string> | undefined

function defaultApiPaths(): Record<string, string> {
  if (!apiPaths) {
    const api = new ccxt.binance().urls['api'] as Record<string, string>
    apiPaths = Object.fromEntries(Object.entries(api).map(([k, v]) => [k, new URL(v).pathname]))
  }
  return apiPaths
}

/**
 * The options that make ccxt's `binance` talk to the simulator only:
 * - every `urls.api` entry (public, private, v1, sapi, fapi*, dapi*, eapi, papi) re-pointed at the
 *   simulator with its path kept, so nothing can leave loopback;
 * - `fetchMarkets: { types: ['spot'] }`: loadMarkets calls only /api/v3/exchangeInfo (the default
 *   also loads linear and inverse futures from fapi/dapi);
 * - `fetchCurrencies: false` and `fetchMargins: false`: no sapi capital/config/getall and no margin
 *   pair lists when keys are set;
 * - `defaultType: 'spot'`, `enableRateLimit: false` (tests pace themselves).
 */
export function binanceClientOptions(url: string): {
  urls: { api: Record<string, string> }
  options: Record<string, unknown>
  enableRateLimit: boolean
} {
  const api = Object.fromEntries(Object.entries(defaultApiPaths()).map(([k, path]) => [k, url + path]))
  return {
    urls: { api },
    options: {
      defaultType: 'spot',
      fetchMarkets: { types: ['spot'] },
      fetchCurrencies: false,
      fetchMargins: false,
      adjustForTimeDifference: false,
    },
    enableRateLimit: false,
  }
}

/** A ccxt binance instance pointed at a running simulator; `extra` is merged in (options too). */
export function binanceClientFor(
  sim: { url: string; apiKey?: string; secret?: string },
  extra: Record<string, unknown> & { options?: Record<string, unknown> } = {},
): BinanceClient {
  const base = binanceClientOptions(sim.url)
  const { options, ...rest } = extra
  return new ccxt.binance({
    ...(sim.apiKey !== undefined ? { apiKey: sim.apiKey } : {}),
    ...(sim.secret !== undefined ? { secret: sim.secret } : {}),
    ...base,
    ...rest,
    options: { ...base.options, ...options },
  })
}

export type BinanceProClient = InstanceType<typeof ccxt.pro.binance>

/**
 * A ccxt.pro binance instance pointed at a running simulator: REST as `binanceClientFor`, and every
 * websocket URL (`urls.api.ws`: the market streams at `/ws`, the WebSocket API at `/ws-api/v3`)
 * moved to the simulator's host with its path kept. ccxt.pro needs an HTTP agent for plain `ws://`.
 */
export function binanceProClientFor(
  sim: { url: string; apiKey?: string; secret?: string },
  extra: Record<string, unknown> & { options?: Record<string, unknown> } = {},
): BinanceProClient {
  const base = binanceClientOptions(sim.url)
  const { options, ...rest } = extra
  const ex = new ccxt.pro.binance({
    ...(sim.apiKey !== undefined ? { apiKey: sim.apiKey } : {}),
    ...(sim.secret !== undefined ? { secret: sim.secret } : {}),
    ...rest,
    options: { ...base.options, ...options },
    enableRateLimit: false,
  })
  const origin = sim.url.replace(/^http/, 'ws')
  const moveWs = (v: unknown): unknown =>
    typeof v === 'string'
      ? v.replace(/^wss?:\/\/[^/]+/, origin)
      : Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, moveWs(x)]))
  const api = ex.urls['api'] as Record<string, unknown>
  ex.urls['api'] = { ...api, ...base.urls.api, ws: moveWs(api['ws']) } as typeof ex.urls.api
  ex.httpAgent = new Agent()
  return ex
}
