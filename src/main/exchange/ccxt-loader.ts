import type { Exchange } from 'ccxt'
import { AppError } from '../../shared/contract/errors'
import { CREDENTIALS, type Credential } from '../../shared/domain/credentials'

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

/** What the exchange picker needs to know of one exchange, from its ccxt class. */
export interface CatalogEntry {
  /** The exchange's own name (`OKX`, `Binance US`). */
  name: string
  /** The credentials its signed requests need (ccxt's `requiredCredentials`), in Candlework's order. */
  credentials: Credential[]
}

/** The required credentials of an exchange instance, in the canonical order. */
export function requiredCredentials(ex: Pick<Exchange, 'requiredCredentials'>): Credential[] {
  const required = (ex.requiredCredentials ?? {}) as Partial<Record<string, boolean>>
  return CREDENTIALS.filter((c) => required[c] === true)
}

/** The catalog of an exchange id, from one instance of its class (a few ms): for one id, not the list. */
export function catalogEntry(ccxt: CcxtModule, id: string): CatalogEntry {
  const ex = new (restClass(ccxt, id))()
  return {
    name: typeof ex.name === 'string' && ex.name !== '' ? ex.name : id,
    credentials: requiredCredentials(ex),
  }
}

const catalogs = new WeakMap<object, Promise<ReadonlyMap<string, CatalogEntry>>>()

/**
 * Name and required credentials of every exchange. ccxt only knows them on an instance, and
 * making all of them takes 0.3-1.5 s (measured by bench/exchange-list.bench.ts), so it is done
 * once per process, eight at a time between other work, and kept: every later call answers from
 * memory. `onBuilt` hears how long the one build took.
 */
export function exchangeCatalog(
  ccxt: CcxtModule,
  onBuilt?: (ms: number, count: number) => void,
): Promise<ReadonlyMap<string, CatalogEntry>> {
  let made = catalogs.get(ccxt)
  if (!made) {
    made = (async () => {
      const started = performance.now()
      const out = new Map<string, CatalogEntry>()
      const ids = [...ccxt.exchanges]
      for (let i = 0; i < ids.length; i += 8) {
        for (const id of ids.slice(i, i + 8)) {
          try {
            out.set(id, catalogEntry(ccxt, id))
          } catch {
            // A class that cannot be made without options still has an id to offer.
            out.set(id, { name: id, credentials: ['apiKey', 'secret'] })
          }
        }
        await new Promise<void>((resolve) => setImmediate(resolve))
      }
      onBuilt?.(performance.now() - started, out.size)
      return out
    })()
    catalogs.set(ccxt, made)
  }
  return made
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
