import type { Page, WebSocketRoute } from '@playwright/test'
import { expect, type Host, openConnected, openDemoBtc, rpc, test, typeSize } from './fixtures'
import type { Order } from '../../src/shared/domain/trading'

/*
 * Issue 12, finding 5: a lost answer must not double an order. The page's WebSocket to the
 * real host runs through Playwright's WebSocket route, which here cuts it in the middle of an
 * order: the host gets trading.placeOrder and places the order, and its answer never reaches
 * the page (or, in the second test, the request never reaches the host). The link stays down
 * while the test looks (the next connection waits in the route), then comes back by itself.
 */

const DEMO = 'demo-paper'

/** What the route does to the page's connections. */
interface Cutter {
  /** Cut the connection at the next trading.placeOrder: after the host's answer, or before the request. */
  arm(at: 'answer' | 'request'): void
  /** Resolves when the cut happened (with the client order id the page sent). */
  cut: Promise<string>
  /** Lets connections through again (until then, a new one waits: the link is down). */
  restore(): void
}

async function routeCutter(page: Page): Promise<Cutter> {
  let armed: 'answer' | 'request' | null = null
  let down = false
  let restore!: () => void
  const up = new Promise<void>((r) => (restore = r))
  let cutDone!: (clientOrderId: string) => void
  const cut = new Promise<string>((r) => (cutDone = r))
  await page.routeWebSocket(/\/ws$/, async (ws: WebSocketRoute) => {
    // While down, a new connection waits here, unopened, as one to an unreachable host does.
    if (down) await up
    const server = ws.connectToServer()
    let lostId: number | null = null
    const drop = (clientOrderId: string): void => {
      armed = null
      down = true
      ws.close({ code: 1011, reason: 'cut by the test' })
      server.close()
      cutDone(clientOrderId)
    }
    let clientOrderId = ''
    ws.onMessage((m) => {
      if (armed !== null && typeof m === 'string') {
        const msg = JSON.parse(m) as {
          type: string
          id: number
          name?: string
          params?: { clientOrderId?: string }
        }
        if (msg.type === 'invoke' && msg.name === 'trading.placeOrder') {
          clientOrderId = msg.params?.clientOrderId ?? ''
          if (armed === 'request') return drop(clientOrderId)
          lostId = msg.id
        }
      }
      server.send(m)
    })
    server.onMessage((m) => {
      if (lostId !== null && typeof m === 'string') {
        const msg = JSON.parse(m) as { type: string; id: number }
        // The host answered; the answer is lost with the connection.
        if (msg.type === 'result' && msg.id === lostId) return drop(clientOrderId)
      }
      ws.send(m)
    })
  })
  return {
    arm: (at) => (armed = at),
    cut,
    restore: () => {
      down = false
      restore()
    },
  }
}

async function openBtc(page: Page, host: Host): Promise<void> {
  await openConnected(page, host)
  await openDemoBtc(page)
}

const ordersOf = (host: Host) => rpc<Order[]>(host, 'trading.orders', { accountId: DEMO })

/** The page's errors, except the ones a dropped link makes the browser log. */
function pageErrors(page: Page): string[] {
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  page.on('console', (m) => {
    if (m.type() === 'error' && !/WebSocket|Failed to load resource/.test(m.text())) errors.push(m.text())
  })
  return errors
}

test('the connection drops after the host took the order: the ticket says "outcome unknown — checking", nothing more can be sent, and after reconnecting exactly one order exists and is shown', async ({
  page,
  host,
}, testInfo) => {
  const errors = pageErrors(page)
  const cutter = await routeCutter(page)
  await openBtc(page, host)
  await typeSize(page, '0.0123')

  cutter.arm('answer')
  await page.getByTestId('ticket-submit').click()
  const clientOrderId = await cutter.cut

  // The host made the order; the page does not know it.
  const made = await ordersOf(host)
  expect(made).toHaveLength(1)
  expect(made[0]).toMatchObject({ clientOrderId, status: 'filled', amount: '0.0123' })

  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'reconnecting')
  const outcome = page.getByTestId('ticket-outcome')
  await expect(outcome).toHaveAttribute('data-kind', 'unknown')
  await expect(outcome).toContainText('Outcome unknown — checking')
  await expect(outcome).toHaveAttribute('data-id', clientOrderId)
  await expect(outcome).not.toContainText(/rejected/i)
  // The blotter lists it with the working orders until it is looked up.
  await page.getByTestId('blotter-tab-open').click()
  const lost = page.getByTestId('lost-submission')
  await expect(lost).toHaveCount(1)
  await expect(lost).toHaveAttribute('data-id', clientOrderId)
  await expect(lost).toContainText('Outcome unknown — checking')
  await testInfo.attach('outcome-unknown', { body: await page.screenshot(), contentType: 'image/png' })

  // Nothing can be sent while the link is down: no second click can make a second order.
  await expect(page.getByTestId('ticket-submit')).toBeDisabled()
  if (process.env.CANDLEWORK_SCREENSHOTS) {
    await page.screenshot({ path: `${process.env.CANDLEWORK_SCREENSHOTS}/outcome-unknown.png` })
  }

  cutter.restore()
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'open', { timeout: 20_000 })
  // Looked up by its id: the order the host made, shown as it is.
  await expect(outcome).toHaveAttribute('data-kind', 'placed')
  await expect(outcome).toHaveAttribute('data-id', clientOrderId)
  await expect(outcome).toContainText('Filled')
  await expect(lost).toHaveCount(0)
  await page.getByTestId('blotter-tab-history').click()
  await expect(page.locator(`[data-testid="history-row"][data-id="${clientOrderId}"]`)).toHaveAttribute(
    'data-status',
    'filled',
  )
  await expect(page.getByTestId('history-row')).toHaveCount(1)

  // Exactly one order and one fill on the host.
  const after = await ordersOf(host)
  expect(after.map((o) => o.clientOrderId)).toEqual([clientOrderId])
  expect(await rpc<unknown[]>(host, 'trading.fills', { accountId: DEMO })).toHaveLength(1)

  // A new click now is a new order, with a new id.
  await page.getByTestId('ticket-submit').click()
  await expect(outcome).toHaveAttribute('data-kind', 'placed')
  await expect(outcome).not.toHaveAttribute('data-id', clientOrderId)
  expect(await ordersOf(host)).toHaveLength(2)
  expect(errors).toEqual([])
})

test('the connection drops before the order reached the host: "not placed" after reconnecting, and submitting again places it once, under the same id', async ({
  page,
  host,
}) => {
  const errors = pageErrors(page)
  const cutter = await routeCutter(page)
  await openBtc(page, host)
  await typeSize(page, '0.0042')

  cutter.arm('request')
  await page.getByTestId('ticket-submit').click()
  const clientOrderId = await cutter.cut
  const outcome = page.getByTestId('ticket-outcome')
  await expect(outcome).toHaveAttribute('data-kind', 'unknown')
  expect(await ordersOf(host)).toEqual([])

  cutter.restore()
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'open', { timeout: 20_000 })
  await expect(outcome).toHaveAttribute('data-kind', 'not_placed')
  await expect(outcome).toContainText(`The engine has no order ${clientOrderId}: it never arrived`)
  await expect(outcome).not.toContainText(/rejected/i)

  await page.getByTestId('ticket-submit').click()
  await expect(outcome).toHaveAttribute('data-kind', 'placed')
  await expect(outcome).toHaveAttribute('data-id', clientOrderId)
  const orders = await ordersOf(host)
  expect(orders.map((o) => [o.clientOrderId, o.status, o.amount])).toEqual([
    [clientOrderId, 'filled', '0.0042'],
  ])
  expect(errors).toEqual([])
})
