import { describe, expect, it } from 'vitest'
import type { Order, Position } from '../../../../shared/domain/trading'
import { toChartPrice } from './chart-price'
import { layoutLabels } from './label-layout'
import { dragPrice, draggedY, dropPrice, isDrag, type DragStart } from './line-drag'
import { buildLines, lineId, typeTag, type LineInputs } from './order-lines-model'
import { snapToTick, tickOfPrecision } from './tick-price'

const order = (p: Partial<Order>): Order => ({
  accountId: 'demo-paper',
  clientOrderId: 'cw-1',
  exchangeOrderId: '1',
  symbol: 'BTC/USDT',
  side: 'buy',
  type: 'limit',
  amount: '0.5',
  price: '59000',
  stopPrice: null,
  status: 'open',
  trailingPercent: null,
  trailingAmount: null,
  activationPrice: null,
  waterMark: null,
  postOnly: false,
  reduceOnly: false,
  emulated: false,
  ocoGroup: null,
  parentClientOrderId: null,
  filled: '0',
  average: null,
  fees: [],
  origin: 'local',
  error: null,
  createdAt: 0,
  sentAt: 0,
  updatedAt: 0,
  ...p,
})

/** A position of one lot (its amount at its average entry) unless lots are given. */
const position = (p: Partial<Position>): Position => ({
  accountId: 'demo-paper',
  symbol: 'BTC/USDT',
  base: 'BTC',
  quote: 'USDT',
  side: 'long',
  amount: '0.5',
  amountStep: '0.00001',
  averageEntry: '60000',
  realizedPnl: '0',
  feesPaid: '0',
  otherFees: [],
  mark: '60000',
  unrealizedPnl: '0',
  lots: [{ amount: p.amount ?? '0.5', price: p.averageEntry ?? '60000', time: 0 }],
  fills: 1,
  ...p,
})

const inputs = (p: Partial<LineInputs>): LineInputs => ({
  symbol: 'BTC/USDT',
  orders: [],
  positions: [],
  last: 61_000,
  precision: 2,
  moves: {},
  cancelling: [],
  ...p,
})

describe('prices at the tick, as exact decimal strings', () => {
  it("snaps to a market's own tick, not one unit of its last decimal", () => {
    // A line dragged on a 0.5-tick market lands on a multiple of 0.5, not of 0.1.
    expect(snapToTick(101.3, '0.5')).toBe('101.5')
    expect(snapToTick(101.2, '0.5')).toBe('101.0')
  })

  it('snaps to the nearest tick and writes exactly its decimals', () => {
    expect(tickOfPrecision(2)).toBe('0.01')
    expect(tickOfPrecision(0)).toBe('1')
    expect(tickOfPrecision(5)).toBe('0.00001')
    expect(snapToTick(60_123.456, '0.01')).toBe('60123.46')
    expect(snapToTick(60_123.454, '0.01')).toBe('60123.45')
    expect(snapToTick(0.1 + 0.2, '0.1')).toBe('0.3')
    expect(snapToTick(100.26, '0.5')).toBe('100.5')
    expect(snapToTick(100.24, '0.5')).toBe('100.0')
    expect(snapToTick(1.23456789, '0.00001')).toBe('1.23457')
    expect(snapToTick(42, '1')).toBe('42')
  })

  it('never answers zero or a negative price: one tick at least', () => {
    expect(snapToTick(0.001, '0.01')).toBe('0.01')
    expect(snapToTick(-5, '0.01')).toBe('0.01')
    expect(snapToTick(Number.NaN, '0.5')).toBe('0.5')
  })

  it('reads wire prices whether numbers or decimal strings', () => {
    expect(toChartPrice(60_000.5)).toBe(60_000.5)
    expect(toChartPrice('60000.5')).toBe(60_000.5)
  })
})

describe('the lines of orders and the position', () => {
  it('draws a working limit order as one draggable line with side, type, size and price', () => {
    const [line, ...rest] = buildLines(inputs({ orders: [order({})] }))
    expect(rest).toEqual([])
    expect(line).toMatchObject({
      id: lineId('cw-1', 'price'),
      kind: 'order',
      field: 'price',
      price: 59000,
      sideText: 'BUY',
      tag: 'LIMIT',
      size: '0.5',
      priceText: '59,000.00',
      tone: 'buy',
      draggable: true,
      cancellable: true,
      note: null,
      describe: 'buy limit 0.5 BTC at 59,000.00',
    })
  })

  it('draws the remaining size, the stop price of a stop, and nothing for other symbols or finished orders', () => {
    const lines = buildLines(
      inputs({
        orders: [
          order({
            clientOrderId: 'a',
            side: 'sell',
            type: 'stop',
            price: null,
            stopPrice: '58000',
            filled: '0',
          }),
          order({ clientOrderId: 'b', amount: '1', filled: '0.25', status: 'partially_filled' }),
          order({ clientOrderId: 'c', symbol: 'ETH/USDT' }),
          order({ clientOrderId: 'd', status: 'filled' }),
          order({ clientOrderId: 'e', status: 'canceled' }),
        ],
      }),
    )
    expect(lines.map((l) => [l.id, l.tag, l.sideText, l.size, l.price])).toEqual([
      [lineId('b', 'price'), 'LIMIT', 'BUY', '0.75', 59_000],
      [lineId('a', 'stopPrice'), 'STOP', 'SELL', '0.5', 58_000],
    ])
  })

  it('draws an order with a trigger and a limit as two lines, each changing its own field', () => {
    const stopLimit = order({
      type: 'stop_limit' as Order['type'],
      price: '57900',
      stopPrice: '58000',
      side: 'sell',
    })
    const lines = buildLines(inputs({ orders: [stopLimit] }))
    expect(lines.map((l) => [l.field, l.tag, l.price])).toEqual([
      ['stopPrice', 'STOP LIMIT', 58_000],
      ['price', 'STOP LIMIT LIMIT', 57_900],
    ])
    expect(typeTag('trailing_stop')).toBe('TRAILING STOP')
  })

  it('names orders that would close the position SL and TP, with the P&L they would realise', () => {
    const lines = buildLines(
      inputs({
        positions: [position({ amount: '0.5', averageEntry: '60000' })],
        orders: [
          order({
            clientOrderId: 'sl',
            side: 'sell',
            type: 'stop',
            price: null,
            stopPrice: '58000',
            amount: '0.5',
          }),
          order({ clientOrderId: 'tp', side: 'sell', type: 'limit', price: '62000', amount: '1' }),
          order({ clientOrderId: 'add', side: 'buy', type: 'limit', price: '59000' }),
        ],
      }),
    )
    const by = new Map(lines.map((l) => [l.id, l]))
    // (58,000 - 60,000) * 0.5; the TP is for 1 but the position holds 0.5: (62,000 - 60,000) * 0.5
    expect(by.get(lineId('sl', 'stopPrice'))).toMatchObject({
      tag: 'SL',
      note: '−1,000.00',
      noteTone: 'loss',
    })
    expect(by.get(lineId('tp', 'price'))).toMatchObject({ tag: 'TP', note: '+1,000.00', noteTone: 'profit' })
    expect(by.get(lineId('add', 'price'))).toMatchObject({ tag: 'LIMIT', note: null })
  })

  it('draws the position at its average entry with its unrealised P&L at the last price', () => {
    const long = buildLines(
      inputs({ positions: [position({ amount: '0.5', averageEntry: '60000' })], last: 61_234.5 }),
    )
    expect(long).toEqual([
      expect.objectContaining({
        kind: 'position',
        price: 60000,
        sideText: 'LONG',
        size: '0.5',
        note: '+617.25 USDT',
        noteTone: 'profit',
        draggable: false,
        cancellable: false,
      }),
    ])
    const short = buildLines(
      inputs({ positions: [position({ side: 'short', amount: '-0.2', averageEntry: '60000' })] }),
    )
    expect(short[0]).toMatchObject({
      sideText: 'SHORT',
      size: '0.2',
      note: '−200.00 USDT',
      noteTone: 'loss',
    })
    // Without a last price, the engine's own figure.
    const marked = buildLines(inputs({ positions: [position({ unrealizedPnl: '12.5' })], last: undefined }))
    expect(marked[0]!.note).toBe('+12.50 USDT')
    expect(
      buildLines(inputs({ positions: [position({ side: 'flat', amount: '0', averageEntry: null })] })),
    ).toEqual([])
  })

  it('shows an order of unknown outcome as pending, neither draggable nor cancellable', () => {
    const [line] = buildLines(inputs({ orders: [order({ status: 'unknown', exchangeOrderId: null })] }))
    expect(line).toMatchObject({ tone: 'pending', note: 'checking…', draggable: false, cancellable: false })
  })

  it("draws a bracket's waiting legs as TP and SL, cancellable but not draggable until on the book", () => {
    const legs = [
      order({
        clientOrderId: 'tp',
        side: 'sell',
        price: '65000',
        status: 'waiting',
        parentClientOrderId: 'cw-1',
      }),
      order({
        clientOrderId: 'sl',
        side: 'sell',
        type: 'stop',
        price: null,
        stopPrice: '55000',
        status: 'waiting',
        parentClientOrderId: 'cw-1',
      }),
    ]
    const lines = buildLines(inputs({ orders: legs }))
    expect(lines.map((l) => [l.tag, l.price, l.note, l.draggable, l.cancellable])).toEqual([
      ['TP', 65_000, 'after entry', false, true],
      ['SL', 55_000, 'after entry', false, true],
    ])
  })

  it('keeps a moved line at its new price until the order shows it, and locks it meanwhile', () => {
    const id = lineId('cw-1', 'price')
    const sending = buildLines(
      inputs({ orders: [order({})], moves: { [id]: { price: '59500.00', state: 'sending' } } }),
    )
    expect(sending[0]).toMatchObject({ price: 59500, note: 'moving…', draggable: false, cancellable: false })
    const confirming = buildLines(
      inputs({ orders: [order({})], moves: { [id]: { price: '59500.00', state: 'confirm' } } }),
    )
    expect(confirming[0]).toMatchObject({ price: 59500, note: 'confirm…' })
    const answered = inputs({ moves: { [id]: { price: '59500.00', state: 'sent' } } })
    expect(buildLines({ ...answered, orders: [order({})] })[0]!.price).toBe(59500)
    expect(buildLines({ ...answered, orders: [order({ price: '59500' })] })[0]).toMatchObject({
      price: 59500,
      note: null,
      draggable: true,
    })
    const cancelling = buildLines(inputs({ orders: [order({})], cancelling: ['cw-1'] }))
    expect(cancelling[0]).toMatchObject({ note: 'canceling…', cancellable: false, draggable: false })
  })
})

describe('label layout', () => {
  const H = 20
  it('leaves labels of lines far apart on their lines', () => {
    const out = layoutLabels(
      [
        { id: 'a', y: 100 },
        { id: 'b', y: 200 },
      ],
      400,
      H,
    )
    expect(Object.fromEntries(out)).toEqual({ a: 100, b: 200 })
  })

  it('stacks labels that would overlap, centred on their lines, never overlapping', () => {
    const out = layoutLabels(
      [
        { id: 'a', y: 100 },
        { id: 'b', y: 104 },
        { id: 'c', y: 108 },
      ],
      400,
      H,
    )
    const ys = ['a', 'b', 'c'].map((id) => out.get(id)!)
    expect(ys).toEqual([82, 104, 126]) // pitch 22, centred on the mean 104
  })

  it('keeps labels inside the pane and merges a cluster pushed into another', () => {
    const out = layoutLabels(
      [
        { id: 'top', y: 2 },
        { id: 'next', y: 3 },
        { id: 'bottom', y: 399 },
        { id: 'below', y: 398 },
      ],
      400,
      H,
    )
    expect(out.get('top')).toBe(10)
    expect(out.get('next')).toBe(32)
    expect(out.get('below')).toBe(368)
    expect(out.get('bottom')).toBe(390)
    const many = layoutLabels(
      [10, 30, 35, 40].map((y, i) => ({ id: String(i), y })),
      400,
      H,
    )
    const ys = [...many.values()].sort((a, b) => a - b)
    for (let i = 1; i < ys.length; i++) expect(ys[i]! - ys[i - 1]!).toBeGreaterThanOrEqual(H)
    expect(ys[0]).toBeGreaterThanOrEqual(H / 2)
  })
})

describe('dragging a line', () => {
  const start: DragStart = { lineY: 200, pointerY: 210, price: '60000.00' }
  // A pane 400 px high showing 59,000 (bottom) to 61,000 (top): 5 per pixel.
  const priceAt = (y: number): number => 61_000 - y * 5

  it('is a click until the pointer travels three pixels', () => {
    expect(isDrag(start, 212)).toBe(false)
    expect(isDrag(start, 213)).toBe(true)
    expect(isDrag(start, 207)).toBe(true)
  })

  it('moves the line by the pointer’s travel, not to the pointer, inside the pane', () => {
    expect(draggedY(start, 250, 400)).toBe(240)
    expect(draggedY(start, -500, 400)).toBe(0)
    expect(draggedY(start, 900, 400)).toBe(400)
  })

  it('prices the line at the tick, and lets go without a change when it is back where it started', () => {
    expect(dragPrice(draggedY(start, 250, 400), priceAt, '0.01')).toBe('59800.00')
    expect(dragPrice(199.999, priceAt, '0.5')).toBe('60000.0')
    expect(dragPrice(10, () => null, '0.01')).toBeNull()
    expect(dropPrice(start, '60000.00')).toBeNull()
    expect(dropPrice(start, null)).toBeNull()
    expect(dropPrice(start, '59800.00')).toBe('59800.00')
  })
})
