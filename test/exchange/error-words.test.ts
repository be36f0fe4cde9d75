import ccxt from 'ccxt'
import { describe, expect, it } from 'vitest'
import { classifyExchangeError, type ErrorContext } from '../../src/main/exchange/errors'

/*
 * What a trader reads when an exchange call fails, over real ccxt error classes with messages as
 * ccxt writes them (`<id> <body>`, or `<id> <METHOD> <url> <status> <text> <body>` for HTTP
 * failures): the exchange by name, what happened and what to do; no URL, no raw JSON.
 */

const BINANCE: ErrorContext = { exchange: 'binance', exchangeName: 'Binance', mutating: false }
const OKX: ErrorContext = { exchange: 'okx', exchangeName: 'OKX', mutating: false }

interface Row {
  what: string
  error: Error
  ctx: ErrorContext
  kind: string
  message: string
}

const rows: Row[] = [
  {
    what: 'no network (DNS lookup fails)',
    error: new ccxt.NetworkError(
      'binance GET https://api.binance.com/api/v3/exchangeInfo fetch failed: getaddrinfo ENOTFOUND api.binance.com',
    ),
    ctx: { ...BINANCE, operation: 'fetchBalance' },
    kind: 'unavailable',
    message:
      'Binance is unreachable from this machine: no network (its address could not be looked up). Check this computer’s internet connection, then try again.',
  },
  {
    what: 'connection refused',
    error: new ccxt.NetworkError(
      'binance GET http://127.0.0.1:9/api/v3/exchangeInfo fetch failed: connect ECONNREFUSED 127.0.0.1:9',
    ),
    ctx: BINANCE,
    kind: 'unavailable',
    message:
      'Binance is unreachable from this machine: the connection was refused (nothing answers at its address). Check the API URL, and that the server there is running.',
  },
  {
    what: 'connection cut',
    error: new ccxt.NetworkError('binance GET https://api.binance.com/api/v3/ticker/24hr read ECONNRESET'),
    ctx: BINANCE,
    kind: 'unavailable',
    message: 'Binance is unreachable from this machine: the connection was cut. Try again in a moment.',
  },
  {
    what: 'a Node network failure ccxt did not wrap',
    error: new Error('connect ECONNREFUSED 127.0.0.1:9'),
    ctx: BINANCE,
    kind: 'unavailable',
    message:
      'Binance is unreachable from this machine: the connection was refused (nothing answers at its address). Check the API URL, and that the server there is running.',
  },
  {
    what: 'a read that timed out',
    error: new ccxt.RequestTimeout(
      'binance GET https://api.binance.com/api/v3/ticker/24hr?symbol=BTCUSDT request timed out (10000 ms)',
    ),
    ctx: { ...BINANCE, operation: 'fetchTicker BTC/USDT' },
    kind: 'unavailable',
    message: 'Binance did not answer in time while reading the price. Try again in a moment.',
  },
  {
    what: 'an order that timed out',
    error: new ccxt.RequestTimeout(
      'binance POST https://api.binance.com/api/v3/order request timed out (10000 ms)',
    ),
    ctx: { ...BINANCE, operation: 'createOrder BTC/USDT', mutating: true },
    kind: 'outcome_unknown',
    message:
      'Binance did not answer in time while placing the order: whether it went through is unknown until it is looked up, which Candlework does by itself. Do not send it again.',
  },
  {
    what: 'HTTP 503 with an HTML page',
    error: new ccxt.ExchangeNotAvailable(
      'binance GET https://api.binance.com/api/v3/time 503 Service Unavailable <html><body><h1>503</h1></body></html>',
    ),
    ctx: BINANCE,
    kind: 'unavailable',
    message: 'Binance is not available right now (it answered HTTP 503). Try again in a few minutes.',
  },
  {
    what: 'maintenance (Kraken’s error list)',
    error: new ccxt.OnMaintenance('kraken {"error":["EService:Unavailable"]}'),
    ctx: { exchange: 'kraken', exchangeName: 'Kraken' },
    kind: 'unavailable',
    message: 'Kraken is down for maintenance: EService:Unavailable. Try again later.',
  },
  {
    what: 'rate limited',
    error: new ccxt.RateLimitExceeded(
      'binance {"code":-1003,"msg":"Too much request weight used; current limit is 6000 request weight per 1 MINUTE."}',
    ),
    ctx: { ...BINANCE, headers: { 'Retry-After': '12' } },
    kind: 'rate_limited',
    message:
      'Binance is limiting how fast requests are sent (too many too quickly): wait 12 s and try again.',
  },
  {
    what: 'banned (HTTP 418)',
    error: new ccxt.DDoSProtection(
      'binance GET https://api.binance.com/api/v3/depth 418 I\'m a teapot {"code":-1003,"msg":"Way too much request weight used; IP banned until 1735689720000."}',
    ),
    ctx: { ...BINANCE, now: 1_735_689_600_000 },
    kind: 'rate_limited',
    message:
      'Binance has blocked requests from this machine for a while after too many of them: wait 2 min before trying again.',
  },
  {
    what: 'a refused API key',
    error: new ccxt.AuthenticationError(
      'binance {"code":-2015,"msg":"Invalid API-key, IP, or permissions for action."}',
    ),
    ctx: { ...BINANCE, operation: 'fetchBalance' },
    kind: 'auth_failed',
    message:
      'Binance refused the API key: Invalid API-key, IP, or permissions for action (code -2015). Check the key and its secret (and passphrase, if it has one), that it is enabled, and that this machine’s IP address is allowed to use it.',
  },
  {
    what: 'a key without the permission',
    error: new ccxt.PermissionDenied(
      'okx {"msg":"API key doesn\'t have permission to trade","code":"50120","data":[]}',
    ),
    ctx: OKX,
    kind: 'auth_failed',
    message:
      "OKX refused the request: the API key lacks the permission for it: API key doesn't have permission to trade (code 50120). Enable it for the key on OKX, or use a key that has it.",
  },
  {
    what: 'a suspended account',
    error: new ccxt.AccountSuspended('kucoin {"code":"411100","msg":"User is frozen"}'),
    ctx: { exchange: 'kucoin', exchangeName: 'KuCoin' },
    kind: 'auth_failed',
    message: 'KuCoin says the account is suspended: User is frozen (code 411100).',
  },
  {
    what: 'a missing passphrase (ccxt refuses to sign)',
    error: new ccxt.AuthenticationError('okx requires "password" credential'),
    ctx: OKX,
    kind: 'auth_failed',
    message: 'OKX needs the passphrase for this: enter the account’s API keys.',
  },
  {
    what: 'insufficient funds',
    error: new ccxt.InsufficientFunds(
      'binance {"code":-2010,"msg":"Account has insufficient balance for requested action."}',
    ),
    ctx: { ...BINANCE, mutating: true },
    kind: 'insufficient_funds',
    message:
      'Binance refused the order: not enough funds: Account has insufficient balance for requested action (code -2010).',
  },
  {
    what: 'an invalid order',
    error: new ccxt.InvalidOrder('binance {"code":-1013,"msg":"Filter failure: LOT_SIZE"}'),
    ctx: { ...BINANCE, mutating: true },
    kind: 'invalid_order',
    message: 'Binance rejected the order: Filter failure: LOT_SIZE (code -1013).',
  },
  {
    what: 'an unknown order',
    error: new ccxt.OrderNotFound('binance {"code":-2013,"msg":"Order does not exist."}'),
    ctx: BINANCE,
    kind: 'not_found',
    message: 'Binance has no such order: Order does not exist (code -2013).',
  },
  {
    what: 'an unknown market',
    error: new ccxt.BadSymbol('binance does not have market symbol FOO/BAR'),
    ctx: BINANCE,
    kind: 'not_found',
    message: 'Binance has no such market: does not have market symbol FOO/BAR.',
  },
  {
    what: 'a malformed request',
    error: new ccxt.BadRequest(
      'binance {"code":-1102,"msg":"Mandatory parameter \'symbol\' was not sent, was empty/null, or malformed."}',
    ),
    ctx: BINANCE,
    kind: 'validation',
    message:
      "Binance refused the request as malformed: Mandatory parameter 'symbol' was not sent, was empty/null, or malformed (code -1102).",
  },
  {
    what: 'a timestamp out of the window',
    error: new ccxt.InvalidNonce(
      'binance {"code":-1021,"msg":"Timestamp for this request was 1000ms ahead of the server\'s time."}',
    ),
    ctx: BINANCE,
    kind: 'unavailable',
    message:
      'Binance refused the request’s timestamp: this computer’s clock is off from Binance’s. Turn on clock adjustment for the connection, or set the computer’s clock right.',
  },
  {
    what: 'something ccxt does not do',
    error: new ccxt.NotSupported('binance fetchFundingRate() is not supported yet'),
    ctx: BINANCE,
    kind: 'unavailable',
    message: 'Binance does not support this through ccxt: fetchFundingRate() is not supported yet.',
  },
  {
    what: 'another exchange error',
    error: new ccxt.ExchangeError(
      'binance {"code":-1000,"msg":"An unknown error occurred while processing the request."}',
    ),
    ctx: { ...BINANCE, operation: 'fetchOpenOrders' },
    kind: 'unavailable',
    message:
      'Binance answered with an error while reading the open orders: An unknown error occurred while processing the request (code -1000).',
  },
]

describe('exchange errors in words (real ccxt error classes)', () => {
  for (const row of rows) {
    it(`${row.error.constructor.name}: ${row.what}`, () => {
      const { error, detail } = classifyExchangeError(row.error, row.ctx)
      expect(error.kind).toBe(row.kind)
      expect(error.message).toBe(row.message)
      // The exchange by its name, never a URL or raw JSON; ccxt's own words stay in `detail`.
      expect(error.message).toContain(row.ctx.exchangeName!)
      expect(error.message).not.toMatch(/https?:\/\/|[{}]|"code"|"msg"|<html/)
      expect(detail.length).toBeGreaterThan(0)
    })
  }

  it('names the exchange from its id when no name is given', () => {
    const { error } = classifyExchangeError(new ccxt.ExchangeNotAvailable('bybit 502 Bad Gateway'), {
      exchange: 'bybit',
    })
    expect(error.message).toBe(
      'Bybit is not available right now (it answered HTTP 502). Try again in a few minutes.',
    )
  })
})
