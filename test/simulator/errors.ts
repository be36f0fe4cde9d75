/**
 * Binance's error answers: `{"code": -NNNN, "msg": "..."}` with an HTTP status. Codes and
 * messages follow Binance's spot error list (developers.binance.com, "Error Codes"), because
 * ccxt maps errors by exact code and sometimes by exact message (for example "Account has
 * insufficient balance for requested action." becomes InsufficientFunds only by its text).
 */
export class BinanceError extends Error {
  constructor(
    readonly code: number,
    readonly msg: string,
    readonly httpStatus = 400,
    /** Extra payload some errors carry (cancelReplace's per-step results). */
    readonly data?: unknown,
  ) {
    super(`${code} ${msg}`)
  }

  body(): { code: number; msg: string; data?: unknown } {
    return this.data === undefined
      ? { code: this.code, msg: this.msg }
      : { code: this.code, msg: this.msg, data: this.data }
  }
}

export const err = {
  unknown: () => new BinanceError(-1000, 'An unknown error occured while processing the request.', 500),
  tooManyRequests: (limit: number) =>
    new BinanceError(
      -1003,
      `Too much request weight used; current limit is ${limit} request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.`,
      429,
    ),
  ipBanned: (until: number) =>
    new BinanceError(
      -1003,
      `Way too much request weight used; IP banned until ${until}. Please use WebSocket Streams for live updates to avoid bans.`,
      418,
    ),
  timestampAhead: () =>
    new BinanceError(-1021, "Timestamp for this request was 1000ms ahead of the server's time."),
  timestampOutside: () => new BinanceError(-1021, 'Timestamp for this request is outside of the recvWindow.'),
  badSignature: () => new BinanceError(-1022, 'Signature for this request is not valid.'),
  illegalChars: (name: string, pattern: string) =>
    new BinanceError(-1100, `Illegal characters found in parameter '${name}'; legal range is '${pattern}'.`),
  duplicateParam: () => new BinanceError(-1101, 'Duplicate values for a parameter detected.'),
  mandatory: (name: string) =>
    new BinanceError(-1102, `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`),
  eitherMandatory: (a: string, b: string) =>
    new BinanceError(-1102, `Param '${a}' or '${b}' must be sent, but both were empty/null!`),
  notRequired: (name: string) => new BinanceError(-1106, `Parameter '${name}' sent when not required.`),
  tooMuchPrecision: (name: string) => new BinanceError(-1111, `Parameter '${name}' has too much precision.`),
  invalidTimeInForce: () => new BinanceError(-1115, 'Invalid timeInForce.'),
  invalidOrderType: () => new BinanceError(-1116, 'Invalid orderType.'),
  invalidSide: () => new BinanceError(-1117, 'Invalid side.'),
  invalidInterval: () => new BinanceError(-1120, 'Invalid interval.'),
  invalidSymbol: () => new BinanceError(-1121, 'Invalid symbol.'),
  invalidRespType: () => new BinanceError(-1128, 'Combination of optional parameters invalid.'),
  window24h: () => new BinanceError(-1127, 'More than 24 hours between startTime and endTime.'),
  recvWindowTooLarge: () => new BinanceError(-1131, 'recvWindow must be less than 60000'),
  invalidParam: (name: string) => new BinanceError(-1130, `Invalid data sent for a parameter: ${name}.`),
  filter: (name: string) => new BinanceError(-1013, `Filter failure: ${name}`),
  insufficientBalance: () =>
    new BinanceError(-2010, 'Account has insufficient balance for requested action.'),
  duplicateOrder: () => new BinanceError(-2010, 'Duplicate order sent.'),
  wouldTake: () => new BinanceError(-2010, 'Order would immediately match and take.'),
  stopWouldTrigger: () => new BinanceError(-2010, 'Stop price would trigger immediately.'),
  unsupportedOrder: (what: string) => new BinanceError(-2010, `This order type is not supported: ${what}.`),
  unknownOrder: () => new BinanceError(-2011, 'Unknown order sent.'),
  noSuchOrder: () => new BinanceError(-2013, 'Order does not exist.'),
  badApiKeyFormat: () => new BinanceError(-2014, 'API-key format invalid.', 401),
  rejectedApiKey: () => new BinanceError(-2015, 'Invalid API-key, IP, or permissions for action.', 401),
  // sapi asset/dust (ccxt: -5003 InsufficientFunds, -5004 OperationRejected, -5009 BadSymbol).
  noSuchAsset: () => new BinanceError(-5003, "You don't have this asset."),
  dustTooLarge: (asset: string) =>
    new BinanceError(-5004, `The residual balances of ${asset} have exceeded 0.001BTC, Please re-choose.`),
  noSuchProduct: () => new BinanceError(-5009, 'Product does not exist.'),
}
