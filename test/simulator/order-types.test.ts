/**
 * The simulator's conditional order types and OCO lists, through real ccxt: TAKE_PROFIT_LIMIT,
 * TAKE_PROFIT, trailingDelta, LIMIT_MAKER, and POST /api/v3/orderList/oco (and the older
 * /api/v3/order/oco) with their list endpoints.
 */
import { describe, expect, it } from 'vitest'
import { failure, useSimulators } from './harness'

type Raw = Record<string, unknown>
type ListApi = {
  privatePostOrderListOco(p: Raw): Promise<Raw>
  privatePostOrderOco(p: Raw): Promise<Raw>
  privateDeleteOrderList(p: Raw): Promise<Raw>
  privateGetOrderList(p: Raw): Promise<Raw>
  privateGetOpenOrderList(p: Raw): Promise<Raw[]>
}

function idOf(o: { id?: string | undefined }): string {
  if (!o.id) throw new Error('order without id')
  return o.id
}

describe('simulator order types and OCO lists through ccxt', () => {
  const open = useSimulators()

  it('a take-profit-limit sell waits for the price to rise to its stop, then fills at its limit or better', async () => {
    const { sim, ex } = await open({ autoMatch: false, balances: { ETH: 1 } })
    sim.market.setPrice('ETHUSDT', 3_000, { freeze: true })
    const tp = await ex.createOrder('ETH/USDT', 'limit', 'sell', 1, 3_090, { takeProfitPrice: 3_100 })
    expect(tp.info['type']).toBe('TAKE_PROFIT_LIMIT')
    sim.market.setPrice('ETHUSDT', 3_050, { freeze: true })
    sim.market.tick()
    expect((await ex.fetchOrder(idOf(tp), 'ETH/USDT')).status).toBe('open')
    sim.market.setPrice('ETHUSDT', 3_105, { freeze: true })
    sim.market.tick()
    const done = await ex.fetchOrder(idOf(tp), 'ETH/USDT')
    expect(done.status).toBe('closed')
    expect(done.average).toBeGreaterThanOrEqual(3_090)
    const e = await failure(
      ex.createOrder('ETH/USDT', 'market', 'sell', 0.5, undefined, { takeProfitPrice: 3_000 }),
    )
    expect(e.message).toContain('Stop price would trigger immediately.')
  })

  it('a trailing stop (trailingDelta) follows the high and sells when the price falls that far from it', async () => {
    const { sim, ex } = await open({ autoMatch: false, balances: { ETH: 1 } })
    sim.market.setPrice('ETHUSDT', 3_000, { freeze: true })
    const ts = await ex.createOrder('ETH/USDT', 'market', 'sell', 1, undefined, {
      trailingPercent: 2,
      stopLossOrTakeProfit: 'stopLoss',
    })
    expect([ts.info['type'], ts.info['trailingDelta']]).toEqual(['STOP_LOSS', 200])
    sim.market.setPrice('ETHUSDT', 3_300, { freeze: true })
    sim.market.tick()
    sim.market.setPrice('ETHUSDT', 3_250, { freeze: true })
    sim.market.tick()
    expect((await ex.fetchOrder(idOf(ts), 'ETH/USDT')).status).toBe('open')
    // 2% below the high of 3,300 is 3,234.
    sim.market.setPrice('ETHUSDT', 3_233, { freeze: true })
    sim.market.tick()
    const done = await ex.fetchOrder(idOf(ts), 'ETH/USDT')
    expect(done.status).toBe('closed')
    expect(done.info['trailingDelta']).toBe(200)
  })

  it('a post-only limit (LIMIT_MAKER) rests, and is refused when it would take', async () => {
    const { sim, ex } = await open({ autoMatch: false })
    sim.market.setPrice('BTCUSDT', 60_000, { freeze: true })
    const maker = await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 59_000, { postOnly: true })
    expect([maker.info['type'], maker.status, maker.postOnly]).toEqual(['LIMIT_MAKER', 'open', true])
    const e = await failure(ex.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 61_000, { postOnly: true }))
    expect(e.message).toContain('Order would immediately match and take.')
  })

  it('an OCO list locks once; the stop firing expires the limit-maker; the list reads ALL_DONE', async () => {
    const { sim, ex } = await open({ autoMatch: false, balances: { ETH: 2 } })
    const api = ex as unknown as ListApi
    sim.market.setPrice('ETHUSDT', 3_000, { freeze: true })
    const list = await api.privatePostOrderListOco({
      symbol: 'ETHUSDT',
      side: 'SELL',
      quantity: '1',
      listClientOrderId: 'list-1',
      aboveType: 'LIMIT_MAKER',
      abovePrice: '3200',
      aboveClientOrderId: 'tp-1',
      belowType: 'STOP_LOSS_LIMIT',
      belowStopPrice: '2900',
      belowPrice: '2890',
      belowTimeInForce: 'GTC',
      belowClientOrderId: 'sl-1',
      newOrderRespType: 'RESULT',
    })
    expect(list).toMatchObject({
      contingencyType: 'OCO',
      listStatusType: 'EXEC_STARTED',
      listOrderStatus: 'EXECUTING',
      listClientOrderId: 'list-1',
      symbol: 'ETHUSDT',
    })
    const reports = list['orderReports'] as Raw[]
    expect(reports.map((r) => [r['clientOrderId'], r['type'], r['status']])).toEqual([
      ['sl-1', 'STOP_LOSS_LIMIT', 'NEW'],
      ['tp-1', 'LIMIT_MAKER', 'NEW'],
    ])
    expect(sim.state.balances()['ETH']).toMatchObject({ free: 1, locked: 1 })
    const legs = await ex.fetchOpenOrders('ETH/USDT')
    expect(legs.map((o) => o.info['orderListId'])).toEqual([list['orderListId'], list['orderListId']])

    sim.market.setPrice('ETHUSDT', 2_895, { freeze: true })
    sim.market.tick()
    const sl = await ex.fetchOrder('', 'ETH/USDT', { clientOrderId: 'sl-1' })
    const tp = await ex.fetchOrder('', 'ETH/USDT', { clientOrderId: 'tp-1' })
    expect(sl.status).toBe('closed')
    expect(tp.status).toBe('expired')
    expect(sim.state.balances()['ETH']).toMatchObject({ free: 1, locked: 0 })
    const after = await api.privateGetOrderList({ orderListId: list['orderListId'] })
    expect([after['listStatusType'], after['listOrderStatus']]).toEqual(['ALL_DONE', 'ALL_DONE'])
    expect(await api.privateGetOpenOrderList({})).toEqual([])
  })

  it('canceling one leg cancels the list; DELETE orderList cancels it too; wrong prices and types are refused', async () => {
    const { sim, ex } = await open({ autoMatch: false, balances: { USDT: 10_000 } })
    const api = ex as unknown as ListApi
    sim.market.setPrice('ETHUSDT', 3_000, { freeze: true })
    // A BUY: the stop above the market, the limit-maker below it.
    const buy = {
      symbol: 'ETHUSDT',
      side: 'BUY',
      quantity: '1',
      aboveType: 'STOP_LOSS',
      aboveStopPrice: '3100',
      belowType: 'LIMIT_MAKER',
      belowPrice: '2900',
    }
    const a = await api.privatePostOrderListOco({
      ...buy,
      belowClientOrderId: 'b-1',
      aboveClientOrderId: 'a-1',
    })
    expect(sim.state.balances()['USDT']).toMatchObject({ free: 7_100, locked: 2_900 })
    await ex.cancelOrder('', 'ETH/USDT', { origClientOrderId: 'a-1' })
    const statuses = sim.state.orders({ symbol: 'ETHUSDT' }).map((o) => [o.clientOrderId, o.status])
    expect(statuses).toEqual([
      ['b-1', 'CANCELED'],
      ['a-1', 'CANCELED'],
    ])
    expect(sim.state.balances()['USDT']).toMatchObject({ free: 10_000, locked: 0 })
    expect(a['listStatusType']).toBe('EXEC_STARTED')

    const b = await api.privatePostOrderListOco({ ...buy, listClientOrderId: 'list-b' })
    const canceled = await api.privateDeleteOrderList({ symbol: 'ETHUSDT', listClientOrderId: 'list-b' })
    expect(canceled['listOrderStatus']).toBe('ALL_DONE')
    expect((canceled['orderReports'] as Raw[]).map((r) => r['status'])).toEqual(['CANCELED', 'CANCELED'])
    expect(b['orderListId']).toBe(canceled['orderListId'])

    const wrongPrice = await failure(api.privatePostOrderListOco({ ...buy, belowPrice: '3050' }))
    expect(wrongPrice.message).toContain('The relationship of the prices for the orders is not correct.')
    const { aboveStopPrice: _stop, ...noStop } = buy
    const wrongType = await failure(
      api.privatePostOrderListOco({ ...noStop, aboveType: 'LIMIT_MAKER', abovePrice: '3100' }),
    )
    expect(wrongType.message).toContain('Order type not supported in OCO.')
  })

  it('the older POST /api/v3/order/oco places the same list; the limit-maker filling expires the stop', async () => {
    const { sim, ex } = await open({ autoMatch: false, balances: { ETH: 1 } })
    const api = ex as unknown as ListApi
    sim.market.setPrice('ETHUSDT', 3_000, { freeze: true })
    const list = await api.privatePostOrderOco({
      symbol: 'ETHUSDT',
      side: 'SELL',
      quantity: '1',
      price: '3100',
      stopPrice: '2900',
      limitClientOrderId: 'lim',
      stopClientOrderId: 'stp',
      newOrderRespType: 'RESULT',
    })
    expect((list['orderReports'] as Raw[]).map((r) => r['type'])).toEqual(['STOP_LOSS', 'LIMIT_MAKER'])
    sim.market.setPrice('ETHUSDT', 3_110, { freeze: true })
    sim.market.tick()
    const views = Object.fromEntries(sim.state.orders().map((o) => [o.clientOrderId, o.status]))
    expect(views).toEqual({ lim: 'FILLED', stp: 'EXPIRED' })
    expect(sim.state.balances()['ETH']).toMatchObject({ free: 0, locked: 0 })
  })
})
