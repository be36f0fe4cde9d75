/**
 * Order types on a paper account, through the order path: stop-limit, take-profit(-limit),
 * trailing stops (percent and price distance, their water mark kept across a restart), post-only
 * and reduce-only, OCOs and brackets.
 */
import { describe, expect, it } from 'vitest'
import { AppError } from '../../src/shared/contract/errors'
import type { Order } from '../../src/shared/domain/trading'
import { DEFAULT_ACCOUNT_ID } from '../../src/main/trading/service'
import { useTempDirs } from '../support/temp-dir'
import { closeDatabase, d, ManualClock, openTradingDb, Prices, service } from './support'

const tempDir = useTempDirs()
const A = DEFAULT_ACCOUNT_ID
const S = 'BTC/USDT'
const settings = {
  takerFeeBps: 0,
  makerFeeBps: 0,
  slippageBps: 0,
  startingAmount: '100000',
  startingAsset: 'USDT',
}

function setup(dir = tempDir()) {
  const db = openTradingDb(dir)
  const clock = new ManualClock()
  const prices = new Prices().set(S, { bid: 99.9, ask: 100.1, last: 100 })
  const svc = service(db, clock, prices, { paperSettings: settings })
  const at = (last: number) => prices.set(S, { bid: last - 0.1, ask: last + 0.1, last })
  return { dir, db, clock, prices, svc, at }
}

async function refusal(p: Promise<unknown>): Promise<AppError> {
  try {
    await p
  } catch (err) {
    if (err instanceof AppError) return err
    throw err
  }
  throw new Error('expected a refusal')
}

const find = (svc: ReturnType<typeof setup>['svc'], id: string): Order =>
  svc.orders(A, { limit: 100 }).find((o) => o.clientOrderId === id)!

async function free(svc: ReturnType<typeof setup>['svc'], asset: string) {
  return (await svc.balances(A)).balances.find((b) => b.asset === asset) ?? { free: '0', used: '0' }
}

describe('order types on paper', () => {
  it('a stop-limit waits for its stop, then rests as a limit and fills as maker at its price', async () => {
    const { svc, at } = setup()
    await svc.placeOrder({ accountId: A, symbol: S, side: 'buy', type: 'market', amount: '1' })
    const o = await svc.placeOrder({
      accountId: A,
      symbol: S,
      side: 'sell',
      type: 'stop_limit',
      amount: '1',
      stopPrice: '98',
      price: '97.5',
    })
    expect(o).toMatchObject({
      status: 'open',
      type: 'stop_limit',
      stopPrice: '98',
      price: '97.5',
      emulated: false,
    })
    expect((await free(svc, 'BTC')).used).toBe('1')
    at(98.5)
    svc.tickPaper()
    expect(find(svc, o.clientOrderId).status).toBe('open')
    // Fired at 97.9: a sell limit at 97.5 is marketable against the bid of 97.8, so it takes there.
    at(97.9)
    svc.tickPaper()
    const filled = find(svc, o.clientOrderId)
    expect(filled.status).toBe('filled')
    expect(filled.average).toBe('97.8')
  })

  it('a stop-limit fired above its limit rests until the price trades through the limit', async () => {
    const { svc, at } = setup()
    await svc.placeOrder({ accountId: A, symbol: S, side: 'buy', type: 'market', amount: '1' })
    const o = await svc.placeOrder({
      accountId: A,
      symbol: S,
      side: 'sell',
      type: 'stop_limit',
      amount: '1',
      stopPrice: '98',
      price: '99',
    })
    at(97.9)
    svc.tickPaper()
    expect(find(svc, o.clientOrderId).status).toBe('open')
    at(99.2)
    svc.tickPaper()
    expect(find(svc, o.clientOrderId)).toMatchObject({ status: 'filled', average: '99' })
    expect(svc.fills(A, { limit: 1 })[0]!.takerOrMaker).toBe('maker')
  })

  it('a take-profit sells at market once the price rises to it; on the wrong side it is refused naming the market price', async () => {
    const { svc, at } = setup()
    await svc.placeOrder({ accountId: A, symbol: S, side: 'buy', type: 'market', amount: '1' })
    const wrong = await refusal(
      svc.placeOrder({
        accountId: A,
        symbol: S,
        side: 'sell',
        type: 'take_profit',
        amount: '1',
        stopPrice: '95',
      }),
    )
    expect(wrong.path).toBe('params.stopPrice')
    expect(wrong.message).toBe(
      'stop price 95.00 USDT must be above the market price 100.00 USDT for a sell take-profit; there it would trigger at once',
    )
    const o = await svc.placeOrder({
      accountId: A,
      symbol: S,
      side: 'sell',
      type: 'take_profit',
      amount: '1',
      stopPrice: '105',
    })
    at(104)
    svc.tickPaper()
    expect(find(svc, o.clientOrderId).status).toBe('open')
    at(105)
    svc.tickPaper()
    expect(find(svc, o.clientOrderId)).toMatchObject({ status: 'filled', average: '104.9' })
  })

  it('a take-profit-limit buy fires when the price falls to its stop and buys at its limit', async () => {
    const { svc, at } = setup()
    const o = await svc.placeOrder({
      accountId: A,
      symbol: S,
      side: 'buy',
      type: 'take_profit_limit',
      amount: '1',
      stopPrice: '95',
      price: '95.5',
    })
    expect((await free(svc, 'USDT')).used).toBe('95.5')
    at(95)
    svc.tickPaper()
    expect(find(svc, o.clientOrderId)).toMatchObject({ status: 'filled', average: '95.1' })
  })

  it('a trailing stop follows the high, keeps its water mark across a restart and fires on the pullback', async () => {
    const dir = tempDir()
    const first = setup(dir)
    await first.svc.placeOrder({ accountId: A, symbol: S, side: 'buy', type: 'market', amount: '1' })
    const o = await first.svc.placeOrder({
      accountId: A,
      symbol: S,
      side: 'sell',
      type: 'trailing_stop',
      amount: '1',
      trailingPercent: '2',
    })
    expect(o).toMatchObject({ status: 'open', waterMark: '100', stopPrice: '98', trailingPercent: '2' })
    first.at(110)
    first.svc.tickPaper()
    expect(find(first.svc, o.clientOrderId)).toMatchObject({ waterMark: '110', stopPrice: '107.8' })
    first.at(108)
    first.svc.tickPaper()
    expect(find(first.svc, o.clientOrderId)).toMatchObject({ status: 'open', waterMark: '110' })
    first.svc.close()
    closeDatabase(first.db)

    const again = setup(dir)
    again.at(108)
    await again.svc.start()
    expect(find(again.svc, o.clientOrderId)).toMatchObject({
      status: 'open',
      waterMark: '110',
      stopPrice: '107.8',
    })
    again.at(107.8)
    again.svc.tickPaper()
    expect(find(again.svc, o.clientOrderId)).toMatchObject({ status: 'filled', average: '107.7' })
    again.svc.close()
  })

  it('a trailing stop by price distance waits for its activation price', async () => {
    const { svc, at } = setup()
    const o = await svc.placeOrder({
      accountId: A,
      symbol: S,
      side: 'buy',
      type: 'trailing_stop',
      amount: '1',
      trailingAmount: '3',
      activationPrice: '95',
    })
    expect(o).toMatchObject({ waterMark: null, stopPrice: null, activationPrice: '95', trailingAmount: '3' })
    at(96)
    svc.tickPaper()
    expect(find(svc, o.clientOrderId).waterMark).toBe(null)
    at(94)
    svc.tickPaper()
    expect(find(svc, o.clientOrderId)).toMatchObject({ waterMark: '94', stopPrice: '97' })
    at(90)
    svc.tickPaper()
    at(92.9)
    svc.tickPaper()
    expect(find(svc, o.clientOrderId)).toMatchObject({ waterMark: '90', stopPrice: '93', status: 'open' })
    at(93)
    svc.tickPaper()
    expect(find(svc, o.clientOrderId).status).toBe('filled')
  })

  it('refuses a trailing stop without a distance, a post-only limit that would take, and a reduce-only that grows the position', async () => {
    const { svc } = setup()
    const noDistance = await svc.validateOrder({
      accountId: A,
      symbol: S,
      side: 'sell',
      type: 'trailing_stop',
      amount: '1',
    })
    expect(noDistance.error?.path).toBe('params.trailingPercent')
    const takes = await svc.validateOrder({
      accountId: A,
      symbol: S,
      side: 'buy',
      type: 'limit',
      amount: '1',
      price: '100.5',
      postOnly: true,
    })
    expect(takes.error).toEqual({
      kind: 'invalid_order',
      path: 'params.price',
      message:
        'post-only buy at 100.50 USDT would take at once against the ask 100.10 USDT; lower the price or turn post-only off',
    })
    const resting = await svc.placeOrder({
      accountId: A,
      symbol: S,
      side: 'buy',
      type: 'limit',
      amount: '1',
      price: '99',
      postOnly: true,
    })
    expect(resting).toMatchObject({ status: 'open', postOnly: true })
    const grow = await svc.validateOrder({
      accountId: A,
      symbol: S,
      side: 'sell',
      type: 'market',
      amount: '1',
      reduceOnly: true,
    })
    expect(grow.error?.message).toBe('reduce-only sell: there is no long BTC/USDT position to reduce')
    await svc.placeOrder({ accountId: A, symbol: S, side: 'buy', type: 'market', amount: '0.5' })
    const tooBig = await svc.validateOrder({
      accountId: A,
      symbol: S,
      side: 'sell',
      type: 'market',
      amount: '0.6',
      reduceOnly: true,
    })
    expect(tooBig.error?.message).toBe(
      'reduce-only sell of 0.60000 BTC is larger than the 0.50000 BTC long position',
    )
    const ok = await svc.placeOrder({
      accountId: A,
      symbol: S,
      side: 'sell',
      type: 'market',
      amount: '0.5',
      reduceOnly: true,
    })
    expect(ok).toMatchObject({ status: 'filled', reduceOnly: true })
  })

  it('an OCO reserves once; the take-profit filling expires the stop, and canceling one leg cancels both', async () => {
    const { svc, at } = setup()
    await svc.placeOrder({ accountId: A, symbol: S, side: 'buy', type: 'market', amount: '2' })
    const [tp, sl] = await svc.placeOco({
      accountId: A,
      symbol: S,
      side: 'sell',
      amount: '1',
      takeProfit: { price: '110' },
      stopLoss: { stopPrice: '90' },
    })
    expect(tp).toMatchObject({ type: 'limit', postOnly: true, status: 'open', price: '110' })
    expect(sl).toMatchObject({ type: 'stop', status: 'open', stopPrice: '90' })
    expect(tp!.ocoGroup).not.toBeNull()
    expect(sl!.ocoGroup).toBe(tp!.ocoGroup)
    expect(await free(svc, 'BTC')).toMatchObject({ free: '1', used: '1' })
    at(110.5)
    svc.tickPaper()
    expect(find(svc, tp!.clientOrderId)).toMatchObject({ status: 'filled', average: '110' })
    expect(find(svc, sl!.clientOrderId).status).toBe('canceled')
    expect(await free(svc, 'BTC')).toMatchObject({ free: '1', used: '0' })

    const [tp2, sl2] = await svc.placeOco({
      accountId: A,
      symbol: S,
      side: 'sell',
      amount: '1',
      takeProfit: { price: '120' },
      stopLoss: { stopPrice: '100', price: '99' },
    })
    await svc.cancelOrder(A, sl2!.clientOrderId)
    expect(find(svc, tp2!.clientOrderId).status).toBe('canceled')
    expect(find(svc, sl2!.clientOrderId)).toMatchObject({ status: 'canceled', type: 'stop_limit' })
    expect(await free(svc, 'BTC')).toMatchObject({ free: '1', used: '0' })
  })

  it('an OCO whose stop fires sells at market and expires the take-profit', async () => {
    const { svc, at } = setup()
    await svc.placeOrder({ accountId: A, symbol: S, side: 'buy', type: 'market', amount: '1' })
    const wrong = await svc.validateOco({
      accountId: A,
      symbol: S,
      side: 'sell',
      amount: '1',
      takeProfit: { price: '110' },
      stopLoss: { stopPrice: '101' },
    })
    expect(wrong.error).toMatchObject({
      path: 'params.stopLoss.stopPrice',
      message:
        'stop-loss 101.00 USDT must be below the market price 100.00 USDT for a sell stop; there it would trigger at once',
    })
    const [tp, sl] = await svc.placeOco({
      accountId: A,
      symbol: S,
      side: 'sell',
      amount: '1',
      takeProfit: { price: '110' },
      stopLoss: { stopPrice: '95' },
    })
    at(94.9)
    svc.tickPaper()
    expect(find(svc, sl!.clientOrderId)).toMatchObject({ status: 'filled', average: '94.8' })
    expect(find(svc, tp!.clientOrderId).status).toBe('canceled')
    const btc = await free(svc, 'BTC')
    expect(d(btc.free).plus(d(btc.used)).toString()).toBe('0')
  })

  it('a bracket on a market entry places its legs as an OCO for the amount bought, net of the base fee', async () => {
    const db = openTradingDb(tempDir())
    const clock = new ManualClock()
    const prices = new Prices().set(S, { bid: 99.9, ask: 100.1, last: 100 })
    const svc = service(db, clock, prices, { paperSettings: { ...settings, takerFeeBps: 10 } })
    const entry = await svc.placeOrder({
      accountId: A,
      symbol: S,
      side: 'buy',
      type: 'market',
      amount: '1',
      takeProfit: { price: '110' },
      stopLoss: { stopPrice: '95' },
    })
    expect(entry.status).toBe('filled')
    const legs = svc.orders(A, { limit: 10 }).filter((o) => o.parentClientOrderId === entry.clientOrderId)
    expect(legs.map((l) => [l.type, l.side, l.status, l.amount])).toEqual(
      expect.arrayContaining([
        ['limit', 'sell', 'open', '0.999'],
        ['stop', 'sell', 'open', '0.999'],
      ]),
    )
    expect(new Set(legs.map((l) => l.ocoGroup)).size).toBe(1)
  })

  it('a bracket on a limit entry waits with its legs, places them when the entry fills, and the stop-loss closes the position', async () => {
    const { svc, at } = setup()
    const wrong = await svc.validateOrder({
      accountId: A,
      symbol: S,
      side: 'buy',
      type: 'limit',
      amount: '1',
      price: '99',
      takeProfit: { price: '98' },
    })
    expect(wrong.error).toMatchObject({
      path: 'params.takeProfit.price',
      message: 'take-profit 98.00 USDT must be above the entry price 99.00 USDT for a buy',
    })
    const entry = await svc.placeOrder({
      accountId: A,
      symbol: S,
      side: 'buy',
      type: 'limit',
      amount: '1',
      price: '99',
      takeProfit: { price: '104' },
      stopLoss: { stopPrice: '96' },
    })
    expect(entry.status).toBe('open')
    const legsOf = () =>
      svc.orders(A, { limit: 10 }).filter((o) => o.parentClientOrderId === entry.clientOrderId)
    expect(legsOf().map((l) => l.status)).toEqual(['waiting', 'waiting'])
    at(98.9)
    svc.tickPaper()
    await svc.settleOrders()
    expect(find(svc, entry.clientOrderId).status).toBe('filled')
    expect(legsOf().map((l) => l.status)).toEqual(['open', 'open'])
    at(95.9)
    svc.tickPaper()
    const [a, b] = legsOf()
    expect([a!.status, b!.status].sort()).toEqual(['canceled', 'filled'])
    const position = (await svc.positions(A, true)).find((p) => p.symbol === S)!
    expect(position.amount).toBe('0')
  })

  it('a bracket whose entry is canceled unfilled cancels its waiting legs; canceling a waiting leg cancels both', async () => {
    const { svc } = setup()
    const entry = await svc.placeOrder({
      accountId: A,
      symbol: S,
      side: 'buy',
      type: 'limit',
      amount: '1',
      price: '99',
      takeProfit: { price: '104' },
      stopLoss: { stopPrice: '96' },
    })
    await svc.cancelOrder(A, entry.clientOrderId)
    const legs = svc.orders(A, { limit: 10 }).filter((o) => o.parentClientOrderId === entry.clientOrderId)
    expect(legs.map((l) => l.status)).toEqual(['canceled', 'canceled'])
    expect(legs[0]!.error).toEqual({
      kind: 'conflict',
      message: `The entry ${entry.clientOrderId} ended canceled without filling; its take-profit and stop-loss are canceled`,
    })

    const other = await svc.placeOrder({
      accountId: A,
      symbol: S,
      side: 'buy',
      type: 'limit',
      amount: '1',
      price: '99',
      takeProfit: { price: '104' },
      stopLoss: { stopPrice: '96' },
    })
    const [leg] = svc.orders(A, { limit: 10 }).filter((o) => o.parentClientOrderId === other.clientOrderId)
    await svc.cancelOrder(A, leg!.clientOrderId)
    expect(
      svc
        .orders(A, { limit: 10 })
        .filter((o) => o.parentClientOrderId === other.clientOrderId)
        .map((l) => l.status),
    ).toEqual(['canceled', 'canceled'])
    expect(find(svc, other.clientOrderId).status).toBe('open')
  })
})
