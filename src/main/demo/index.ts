/**
 * The demo market: a seeded synthetic exchange, what a new user sees on first start with no
 * network and no keys. Always labelled "Demo (simulated)".
 *
 * Every price is a pure function of (seed, symbol, time): history and the live feed agree
 * exactly, and the same seed gives the same market on every machine. See market.ts for the
 * layers (daily regime and price path → intraday 1m bars → intra-minute ticks).
 */
export const DEMO_SOURCE = 'demo'
export const DEMO_SOURCE_LABEL = 'Demo (simulated)'

export type { DemoMarket, DemoQuote, DemoSymbol } from './types'
export { createDemoMarket, DEFAULT_DEMO_SEED, DEFAULT_HISTORY_DAYS } from './market'
