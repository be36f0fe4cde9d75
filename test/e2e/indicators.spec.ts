import type { Page } from '@playwright/test'
import { expect, rpc, test } from './fixtures'
import type { ChartProbe, HookGlobal, IndicatorProbe } from '../../src/shared/testing/ui-hook'

interface SeriesAnswer {
  time: number[]
  instances: { id: string; outputs: { name: string; values: (number | null)[] }[] }[]
}

const painted = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as HookGlobal).__candlework.whenChartPainted())

const indicatorsReady = (page: Page, count: number) =>
  page.evaluate((n) => (globalThis as unknown as HookGlobal).__candlework.whenIndicatorsReady(n), count)

const probe = (page: Page) => page.evaluate(() => (globalThis as unknown as HookGlobal).__candlework.chart())

/** Adds an indicator through the picker: search, choose, set parameters, add. */
async function addIndicator(page: Page, search: string, id: string, params: Record<string, string>) {
  await page.getByTestId('indicators-button').click()
  const picker = page.getByTestId('indicator-picker')
  await expect(picker).toBeVisible()
  await page.getByTestId('indicator-search').fill(search)
  await picker.locator(`[data-testid="indicator-option"][data-id="${id}"]`).click()
  for (const [name, value] of Object.entries(params)) await page.getByTestId(`param-${name}`).fill(value)
  await page.getByTestId('indicator-submit').click()
  await expect(picker).toBeHidden()
}

/** Every drawn value at a closed bar of the request equals the engine's answer at that bar. */
function expectSameValues(ind: IndicatorProbe, answer: SeriesAnswer, i: number): void {
  const to = ind.request!.to
  const out = ind.outputs[0]!
  const compared = out.tail.filter(([t]) => t <= to)
  expect(compared.length).toBeGreaterThan(40)
  for (const [t, v] of compared) {
    const j = answer.time.indexOf(t)
    expect(j, `bar ${t} is in the answer`).toBeGreaterThanOrEqual(0)
    expect(v).toBe(answer.instances[i]!.outputs[0]!.values[j])
  }
  // Warm-up came from history before the first bar: the line starts on the very first bar.
  expect(out.firstTime).toBe(answer.time[0])
  expect(answer.instances[i]!.outputs[0]!.values[0]).toEqual(expect.any(Number))
}

test('SMA 20 and RSI 14 from the picker: an overlay and a pane, the engine`s values, kept across a reload', async ({
  app: page,
  host,
}, testInfo) => {
  const start = await painted(page)
  expect(start.panes).toBe(1)

  // The picker validates parameters with the engine's rules before anything is added.
  await page.getByTestId('indicators-button').click()
  await page.getByTestId('indicator-search').fill('moving average')
  await expect(page.locator('[data-testid="indicator-option"][data-id="sma"]')).toHaveCount(1)
  await expect(page.locator('[data-testid="indicator-option"][data-id="ema"]')).toHaveCount(1)
  await expect(page.locator('[data-testid="indicator-option"][data-id="rsi"]')).toHaveCount(0)
  await page.locator('[data-testid="indicator-option"][data-id="sma"]').click()
  await expect(page.getByTestId('param-period')).toHaveValue('20')
  await page.getByTestId('param-period').fill('0')
  await expect(page.getByTestId('param-error-period')).toHaveText('period must be an integer >= 1')
  await expect(page.getByTestId('indicator-submit')).toBeDisabled()
  await page.keyboard.press('Escape')
  await expect(page.getByTestId('indicator-picker')).toBeHidden()

  await addIndicator(page, 'SMA', 'sma', { period: '20' })
  await addIndicator(page, 'rsi', 'rsi', { period: '14' })
  const p = await indicatorsReady(page, 2)

  // SMA over the price, RSI in a pane of its own below it.
  expect(p.panes).toBe(2)
  const [sma, rsi] = p.indicators as [IndicatorProbe, IndicatorProbe]
  expect([sma.id, sma.pane, sma.params, rsi.id, rsi.pane, rsi.params]).toEqual([
    'sma',
    0,
    { period: 20 },
    'rsi',
    1,
    { period: 14 },
  ])
  // A value on every bar asked for: nothing is lost to warm-up.
  expect(sma.outputs[0]!.points).toBeGreaterThanOrEqual(sma.request!.limit)
  expect(rsi.outputs[0]!.points).toBeGreaterThanOrEqual(rsi.request!.limit)
  expect(sma.request!.limit).toBeGreaterThan(1000)

  // What the chart draws is what the engine answers over the WebSocket for the same request.
  for (const ind of [sma, rsi]) {
    const answer = await rpc<SeriesAnswer>(host, 'charting.series', {
      source: p.source,
      symbol: p.symbol,
      timeframe: p.timeframe,
      instances: [{ id: ind.id, params: ind.params }],
      to: ind.request!.to,
      limit: ind.request!.limit,
    })
    expectSameValues(ind, answer, 0)
  }

  // The legends name them and show values; RSI's sits on its own pane.
  const smaRow = page.locator('[data-testid="indicator-row"][data-id="sma"]')
  const rsiRow = page.locator('[data-testid="indicator-row"][data-id="rsi"]')
  await expect(smaRow).toContainText('SMA 20')
  await expect(smaRow.getByTestId('indicator-value')).toHaveText(/^\d{1,3}(,\d{3})*\.\d{2}$/)
  await expect(rsiRow).toContainText('RSI 14')
  await expect(rsiRow.getByTestId('indicator-value')).toHaveText(/^\d{1,2}\.\d{2}$/)
  const rsiBox = (await rsiRow.boundingBox())!
  const smaBox = (await smaRow.boundingBox())!
  expect(rsiBox.y).toBeGreaterThan(smaBox.y + 200)

  // The crosshair legend shows the value of the bar under the pointer.
  const chartBox = (await page.getByTestId('chart').boundingBox())!
  await page.mouse.move(chartBox.x + chartBox.width * 0.5, chartBox.y + chartBox.height * 0.3)
  await expect(page.getByTestId('legend')).toHaveAttribute('data-latest', 'false')
  const hovered = Number((await rsiRow.getByTestId('indicator-value').textContent())!)
  expect(hovered).toBeGreaterThanOrEqual(0)
  expect(hovered).toBeLessThanOrEqual(100)
  await page.mouse.move(0, 0)
  await expect(page.getByTestId('legend')).toHaveAttribute('data-latest', 'true')

  // Live: the demo market ticks, and the indicators' last points follow with single updates.
  await expect
    .poll(async () => (await probe(page))!.indicators.every((i) => i.liveUpdates > 0), { timeout: 15_000 })
    .toBe(true)

  const shot = await page.screenshot()
  await testInfo.attach('indicators', { body: shot, contentType: 'image/png' })
  if (process.env.CANDLEWORK_SCREENSHOTS) {
    await page.screenshot({ path: `${process.env.CANDLEWORK_SCREENSHOTS}/indicators.png` })
  }

  // Saved through the contract (the template every unpinned symbol shows): a reload brings them back.
  const saved = await rpc<{ indicators: { key: string; id: string; params: unknown }[] }>(
    host,
    'charting.settings.get',
    { source: p.source, symbol: p.symbol },
  )
  expect(saved.indicators.map((i) => [i.key, i.id, i.params])).toEqual([
    [sma.key, 'sma', { period: 20 }],
    [rsi.key, 'rsi', { period: 14 }],
  ])
  await page.reload()
  await painted(page)
  const again = await indicatorsReady(page, 2)
  expect(again.panes).toBe(2)
  expect(again.indicators.map((i) => [i.key, i.id, i.pane, i.params])).toEqual([
    [sma.key, 'sma', 0, { period: 20 }],
    [rsi.key, 'rsi', 1, { period: 14 }],
  ])
})

test('indicators are edited, hidden and removed from their legend rows', async ({ app: page }) => {
  await painted(page)
  await addIndicator(page, 'macd', 'macd', {})
  await addIndicator(page, 'ema', 'ema', { period: '50' })
  let p: ChartProbe = await indicatorsReady(page, 2)
  expect(p.panes).toBe(2)
  const macd = p.indicators[0]!
  expect(macd.outputs.map((o) => [o.name, o.plot])).toEqual([
    ['macd', 'line'],
    ['signal', 'line'],
    ['histogram', 'histogram'],
  ])

  // Edit EMA 50 into EMA 10: new values for the same bars.
  const emaRow = page.locator('[data-testid="indicator-row"][data-id="ema"]')
  await emaRow.hover()
  await emaRow.getByTestId('indicator-edit').click()
  await expect(page.getByTestId('param-period')).toHaveValue('50')
  await page.getByTestId('param-period').fill('10')
  await page.getByTestId('indicator-submit').click()
  await expect(emaRow).toContainText('EMA 10')
  await expect
    .poll(async () => (await probe(page))!.indicators.find((i) => i.id === 'ema')?.params.period)
    .toBe(10)
  p = await indicatorsReady(page, 2)
  const ema = p.indicators.find((i) => i.id === 'ema')!
  expect(ema.outputs[0]!.points).toBeGreaterThan(1000)

  // Hide keeps it (and its pane) but stops drawing it; show brings it back.
  const macdRow = page.locator('[data-testid="indicator-row"][data-id="macd"]')
  await macdRow.hover()
  await macdRow.getByTestId('indicator-toggle').click()
  await expect
    .poll(async () => (await probe(page))!.indicators.find((i) => i.id === 'macd')?.visible)
    .toBe(false)
  await macdRow.getByTestId('indicator-toggle').click()
  await expect
    .poll(async () => (await probe(page))!.indicators.find((i) => i.id === 'macd')?.visible)
    .toBe(true)

  // Removing MACD removes its pane.
  await macdRow.hover()
  await macdRow.getByTestId('indicator-remove').click()
  await expect.poll(async () => (await probe(page))!.panes).toBe(1)
  await expect(macdRow).toHaveCount(0)
  expect((await probe(page))!.indicators.map((i) => i.id)).toEqual(['ema'])

  // Signal markers on the candles, with a toggle.
  await expect.poll(async () => (await probe(page))!.markers, { timeout: 15_000 }).toBeGreaterThan(0)
  await page.getByTestId('markers-toggle').click()
  await expect(page.getByTestId('markers-toggle')).toHaveAttribute('aria-pressed', 'false')
  await expect.poll(async () => (await probe(page))!.markers).toBe(0)

  // The volume toggle is saved with the chart too.
  await page.getByTestId('volume-toggle').click()
  await expect(page.getByTestId('volume-toggle')).toHaveAttribute('aria-pressed', 'false')
  await expect.poll(async () => (await probe(page))!.volumeShown).toBe(false)
})

test('the indicators follow to every symbol unless pinned, a named template applies anywhere, and fast switching never shows values of another series', async ({
  app: page,
  host,
}) => {
  await painted(page)
  await addIndicator(page, 'rsi', 'rsi', { period: '7' })
  await indicatorsReady(page, 1)
  const clicks: [string, string][] = [
    ['ETH/USDT', '1h'],
    ['BTC/USDT', '1h'],
    ['SOL/USDT', '4h'],
    ['BTC/USDT', '5m'],
  ]
  for (const [symbol, tf] of clicks) {
    await page.locator(`[data-testid="symbol-row"][data-symbol="${symbol}"]`).click({ noWaitAfter: true })
    await page.getByTestId(`tf-${tf}`).click({ noWaitAfter: true })
  }
  await page.evaluate(() =>
    (globalThis as unknown as HookGlobal).__candlework.whenChartPainted({
      symbol: 'BTC/USDT',
      timeframe: '5m',
    }),
  )
  const p = await indicatorsReady(page, 1)
  expect([p.symbol, p.timeframe]).toEqual(['BTC/USDT', '5m'])
  const rsi = p.indicators[0]!
  expect([rsi.id, rsi.params]).toEqual(['rsi', { period: 7 }])
  const answer = await rpc<SeriesAnswer>(host, 'charting.series', {
    source: 'demo',
    symbol: 'BTC/USDT',
    timeframe: '5m',
    instances: [{ id: 'rsi', params: { period: 7 } }],
    to: rsi.request!.to,
    limit: rsi.request!.limit,
  })
  // The values drawn belong to BTC/USDT 5m: the bar times and values match that series.
  expectSameValues(rsi, answer, 0)
  expect(answer.time.at(-1)! - answer.time.at(-2)!).toBe(300_000)

  // The template followed the trader to ETH/USDT: RSI 7 on ETH's own bars.
  const chartOf = async (symbol: string) => {
    await page.locator(`[data-testid="symbol-row"][data-symbol="${symbol}"]`).click()
    await page.evaluate((m) => (globalThis as unknown as HookGlobal).__candlework.whenChartPainted(m), {
      symbol,
      timeframe: '5m',
    })
  }
  await chartOf('ETH/USDT')
  let eth = await indicatorsReady(page, 1)
  expect([eth.symbol, eth.indicators[0]!.id, eth.indicators[0]!.params]).toEqual([
    'ETH/USDT',
    'rsi',
    { period: 7 },
  ])

  // Saved as a named template, then ETH pinned and its RSI removed: ETH alone has none.
  const templates = page.getByTestId('templates-button')
  await templates.click()
  await page.getByTestId('template-name').fill('Fast RSI')
  await page.getByTestId('template-save').click()
  await expect(page.locator('[data-testid="template-row"][data-name="Fast RSI"]')).toBeVisible()
  await page.getByTestId('indicators-pin').check()
  await expect(templates).toHaveAttribute('data-pinned', 'true')
  await page.keyboard.press('Escape')
  const rsiRow = page.locator('[data-testid="indicator-row"][data-id="rsi"]')
  await rsiRow.hover()
  await rsiRow.getByTestId('indicator-remove').click()
  await expect.poll(async () => (await probe(page))!.indicators.length).toBe(0)
  expect((await probe(page))!.panes).toBe(1)
  // SOL/USDT still shows the template.
  await chartOf('SOL/USDT')
  await expect(templates).toHaveAttribute('data-pinned', 'false')
  expect((await indicatorsReady(page, 1)).indicators[0]!.params).toEqual({ period: 7 })

  // Back on ETH (still pinned, still empty): the named template applies there.
  await chartOf('ETH/USDT')
  await expect(templates).toHaveAttribute('data-pinned', 'true')
  await expect.poll(async () => (await probe(page))!.indicators.length).toBe(0)
  await templates.click()
  await page
    .locator('[data-testid="template-row"][data-name="Fast RSI"]')
    .getByTestId('template-apply')
    .click()
  eth = await indicatorsReady(page, 1)
  expect([eth.symbol, eth.indicators[0]!.id, eth.indicators[0]!.params]).toEqual([
    'ETH/USDT',
    'rsi',
    { period: 7 },
  ])
  const pinned = await rpc<{ pinned: boolean; indicators: unknown[] }>(host, 'charting.settings.get', {
    source: 'demo',
    symbol: 'ETH/USDT',
  })
  expect([pinned.pinned, pinned.indicators.length]).toEqual([true, 1])
})
