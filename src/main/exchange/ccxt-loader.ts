import type { Exchange } from 'ccxt'
import { AppError } from '../../shared/contract/errors'

/** ccxt's default export (types only here: the code itself is loaded on first use). */
export type CcxtModule = (typeof import('ccxt'))['default']

export type ExchangeConstructor = new (config?: Record<string, unknown>) => Exchange

let loading: Promise<CcxtModule> | undefined

/**
 * ccxt is large (a few hundred ms to import): it is loaded the first time an exchange is used,
 * never at start-up, so the hosts answer quickly.
 */
export function loadCcxt(): Promise<CcxtModule> {
  loading ??= import('ccxt').then((m) => m.default)
  return loading
}

/** The REST class of a ccxt exchange id, or `not_found`. */
export function restClass(ccxt: CcxtModule, id: string): ExchangeConstructor {
  if (!ccxt.exchanges.includes(id))
    throw new AppError('not_found', `ccxt has no exchange "${id}"`, 'params.exchange')
  return (ccxt as unknown as Record<string, ExchangeConstructor>)[id]!
}

/** The ccxt.pro (websocket) class of an exchange id, when there is one. */
export function proClass(ccxt: CcxtModule, id: string): ExchangeConstructor | undefined {
  const pro = ccxt.pro as unknown as Record<string, ExchangeConstructor | undefined> & { exchanges: string[] }
  return pro.exchanges.includes(id) ? pro[id] : undefined
}

let names: Promise<Map<string, string>> | undefined

/**
 * Display names of every exchange. ccxt only knows them on an instance, and making all of them
 * takes about a second, so it is done once, a few at a time between other work, and remembered.
 */
export function exchangeNames(ccxt: CcxtModule): Promise<Map<string, string>> {
  names ??= (async () => {
    const out = new Map<string, string>()
    const ids = [...ccxt.exchanges]
    for (let i = 0; i < ids.length; i += 8) {
      for (const id of ids.slice(i, i + 8)) {
        try {
          out.set(id, new (restClass(ccxt, id))().name ?? id)
        } catch {
          out.set(id, id)
        }
      }
      await new Promise<void>((resolve) => setImmediate(resolve))
    }
    return out
  })()
  return names
}

/**
 * Points every REST URL of an exchange at another origin, keeping each URL's path: with
 * `http://127.0.0.1:5000`, Binance's `https://api.binance.com/api/v3` becomes
 * `http://127.0.0.1:5000/api/v3` and `https://fapi.binance.com/fapi/v1` becomes
 * `http://127.0.0.1:5000/fapi/v1`. A path on the override is put in front (`https://proxy/x` ->
 * `https://proxy/x/api/v3`). Works on ccxt's nested `urls.api` objects and `{hostname}` templates.
 */
export function overrideApiUrls<T>(api: T, override: string): T {
  const target = override.replace(/\/+$/, '')
  const visit = (value: unknown): unknown => {
    if (typeof value === 'string') {
      const m = /^(?:https?|wss?):\/\/[^/]+(.*)$/.exec(value)
      if (!m || value.startsWith('ws')) return value
      return `${target}${m[1] ?? ''}`
    }
    if (Array.isArray(value)) return value.map(visit)
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, visit(v)]),
      )
    }
    return value
  }
  return visit(api) as T
}

/**
 * Narrows an exchange to its spot markets, for a custom API URL (a testnet, a proxy, the local
 * simulator), which serves the spot REST API only: markets are loaded for spot alone, and the
 * currency and margin lists some exchanges fetch from other APIs along with them are skipped.
 */
export function restrictToSpot(options: Record<string, unknown>): void {
  const fm = options['fetchMarkets']
  if (fm && typeof fm === 'object' && !Array.isArray(fm)) {
    const types = (fm as Record<string, unknown>)['types']
    if (Array.isArray(types)) (fm as Record<string, unknown>)['types'] = ['spot']
    else if (types && typeof types === 'object') (fm as Record<string, unknown>)['types'] = { spot: true }
  } else if (Array.isArray(fm)) {
    options['fetchMarkets'] = ['spot']
  }
  if (typeof options['defaultType'] === 'string') options['defaultType'] = 'spot'
  if (options['fetchCurrencies'] === true) options['fetchCurrencies'] = false
  if (options['fetchMargins'] === true) options['fetchMargins'] = false
}
