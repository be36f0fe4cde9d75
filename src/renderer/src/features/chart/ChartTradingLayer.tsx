import { useEffect, useLayoutEffect, useRef, useState } from 'react'
import { Decimal } from '../../../../shared/decimal/decimal'
import { formatPrice } from '../../lib/format'
import { ConfirmForm, Modal } from '../desk/Modal'
import { formatQty } from '../desk/format'
import { selectAccount, useTradingStore } from '../desk/store'
import { splitSymbol } from '../ticket/request'
import { cancelMove, closeChartMenu, confirmMove, prefillOrder } from './chart-trading-actions'
import { typeTag } from './order-lines-model'
import { symbolKey, useTradeStore } from './store'
import { useChartTradingStore, type ChartMenu } from './order-lines-store'
import './order-lines.css'

/** What the chart's trading layer shows beside the lines: the live move confirmation and the order menu. */
export function ChartTradingLayer({ precision }: { precision: number }) {
  const menu = useChartTradingStore((s) => s.menu)
  return (
    <>
      <MoveConfirmDialog precision={precision} />
      {menu && <OrderMenu menu={menu} precision={precision} />}
    </>
  )
}

/**
 * A live order moved on the chart is sent only once the trader confirms here (Escape or Keep
 * puts the line back). Says what changes, on which account, and that the exchange replaces it.
 */
function MoveConfirmDialog({ precision }: { precision: number }) {
  const c = useChartTradingStore((s) => s.confirm)
  const account = useTradingStore(selectAccount)
  const last = useTradeStore((s) => {
    const sel = s.selected
    return sel ? s.tickers[symbolKey(sel.source, sel.symbol)]?.last : undefined
  })
  let body = null
  if (c) {
    const o = c.order
    const { base } = splitSymbol(o.symbol)
    const buy = o.side === 'buy'
    const what = c.field === 'stopPrice' ? 'Stop' : 'Limit'
    const to = Decimal.parse(c.to)
    // A limit moved through the market is no longer resting: it fills at once, at market prices.
    const at = last !== undefined && last > 0 ? Decimal.fromNumber(last) : undefined
    const fillsAtOnce = c.field === 'price' && at !== undefined && (buy ? to.gte(at) : to.lte(at))
    body = (
      <ConfirmForm onConfirm={confirmMove} badge="LIVE" question="Move a live order?">
        <dl className="tk-dialog-kv">
          <dt>Order</dt>
          <dd className={buy ? 'up' : 'down'} data-testid="move-confirm-order">
            {buy ? 'BUY' : 'SELL'} {typeTag(o.type)}{' '}
            {formatQty(Decimal.parse(o.amount).minus(Decimal.parse(o.filled)))} {base}
          </dd>
          <dt>{what}</dt>
          <dd className="num" data-testid="move-confirm-prices">
            {formatPrice(o[c.field], precision)} → <strong>{formatPrice(c.to, precision)}</strong>
          </dd>
          <dt>Account</dt>
          <dd>
            {account?.name ?? o.accountId} <span className="tk-muted">({account?.exchangeId ?? ''})</span>
          </dd>
        </dl>
        {fillsAtOnce && (
          <p className="ol-confirm-warning" role="alert" data-testid="move-confirm-marketable">
            At this price the order fills at once: the last price is {formatPrice(last, precision)}.
          </p>
        )}
        <p className="tk-dialog-text">
          The exchange replaces the order with one at the new price (the old one is canceled first), so it
          takes a new place in the queue.
        </p>
        <div className="tk-dialog-actions">
          <button type="button" className="btn" onClick={cancelMove}>
            Keep
          </button>
          <button
            type="submit"
            className={`btn tk-btn-solid ${buy ? 'tk-btn-buy' : 'tk-btn-sell'}`}
            data-testid="move-confirm-send"
            autoFocus
          >
            Move live order
          </button>
        </div>
      </ConfirmForm>
    )
  }
  return (
    <Modal
      open={c !== null}
      onCancel={cancelMove}
      label="Confirm moving a live order"
      tone="danger"
      testId="move-confirm"
    >
      {body}
    </Modal>
  )
}

/**
 * The chart's context menu at a price: the orders that rest there (a limit on the side that
 * waits for the price, a stop on the side it triggers from). Each fills the ticket; nothing is
 * sent from here. Escape, a click elsewhere or a scroll closes it.
 */
function OrderMenu({ menu, precision }: { menu: ChartMenu; precision: number }) {
  const ref = useRef<HTMLDivElement>(null)
  const [pos, setPos] = useState({ left: menu.clientX, top: menu.clientY })
  const price = formatPrice(Number(menu.price), precision)
  const stopSide = menu.limitSide === 'buy' ? 'sell' : 'buy'

  useLayoutEffect(() => {
    const el = ref.current
    if (!el) return
    const r = el.getBoundingClientRect()
    setPos({
      left: Math.max(4, Math.min(menu.clientX, window.innerWidth - r.width - 4)),
      top: Math.max(4, Math.min(menu.clientY, window.innerHeight - r.height - 4)),
    })
    el.querySelector<HTMLButtonElement>('button')?.focus()
  }, [menu])

  useEffect(() => {
    const away = (e: Event): void => {
      if (!ref.current?.contains(e.target as Node)) closeChartMenu()
    }
    const key = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') {
        e.preventDefault()
        closeChartMenu()
      }
    }
    window.addEventListener('pointerdown', away, true)
    window.addEventListener('wheel', away, true)
    window.addEventListener('resize', closeChartMenu)
    window.addEventListener('keydown', key, true)
    return () => {
      window.removeEventListener('pointerdown', away, true)
      window.removeEventListener('wheel', away, true)
      window.removeEventListener('resize', closeChartMenu)
      window.removeEventListener('keydown', key, true)
    }
  }, [])

  const item = (type: 'limit' | 'stop', side: 'buy' | 'sell', testId: string) => (
    <button
      type="button"
      role="menuitem"
      className={`ol-menu-item ol-menu-${side}`}
      data-testid={testId}
      onClick={() => prefillOrder(type, side, menu.price)}
    >
      {side === 'buy' ? 'Buy' : 'Sell'} {type} at <span className="num">{price}</span>
    </button>
  )
  return (
    <div
      ref={ref}
      className="ol-menu"
      role="menu"
      aria-label={`Orders at ${price}`}
      data-testid="chart-order-menu"
      data-price={menu.price}
      style={{ left: pos.left, top: pos.top }}
      onKeyDown={(e) => {
        if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return
        e.preventDefault()
        const items = [...(ref.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]') ?? [])]
        const i = items.indexOf(document.activeElement as HTMLButtonElement)
        items[(i + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length]?.focus()
      }}
    >
      {item('limit', menu.limitSide, 'chart-menu-limit')}
      {item('stop', stopSide, 'chart-menu-stop')}
      <div className="ol-menu-hint">Shift-click on the chart: limit order there</div>
    </div>
  )
}
