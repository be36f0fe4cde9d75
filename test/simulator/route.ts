import type { Account } from './accounts'
import type { MarketData } from './market-data'
import type { Engine } from './matching'
import type { Params } from './params'

/** Binance's endpoint security types: public, API key only, or signed. */
export type Security = 'NONE' | 'API_KEY' | 'SIGNED'

export interface RouteContext {
  params: Params
  /** Simulator time (wall clock plus any configured skew). */
  now: number
  /** The caller's account (API_KEY and SIGNED routes). */
  account?: Account
  engine: Engine
  data: MarketData
  /** Set when a `partial` fault applies to this request. */
  partialFraction?: number
}

export interface Route {
  /** Request kind: the name fault scopes, counts and the request log use. */
  kind: string
  security: Security
  /** Request weight, roughly Binance's, for the X-MBX-USED-WEIGHT headers and the weight limit. */
  weight: (p: Params) => number
  handle: (ctx: RouteContext) => unknown
  /** Parameter names sent once per value (`Params.repeats`); any other name twice is -1101. */
  repeated?: readonly string[]
}

export function requireAccount(ctx: RouteContext): Account {
  if (!ctx.account) throw new Error('internal: route needs an account')
  return ctx.account
}
