/**
 * Order book updates at 10 a second (`npx tsx bench/run.ts book`): the work each update costs.
 *
 * - engine: one demo book of 100 levels a side made, compared with the last (JSON) and throttled,
 *   what `book.depth` does per sample of the demo market (book/domain.ts);
 * - renderer: what the panel computes per event before React renders it: grouping both sides
 *   exactly at a step (8 rows a side), the spread, and the depth chart's cumulative curves
 *   (features/book/view.ts). DOM and canvas time are not in it (Node, no browser).
 *
 * The budget: 10 updates a second on 4 charts is 40 a second; each should take well under a
 * millisecond so a 16 ms frame keeps its room.
 */
import { demoBook } from '../src/main/book/demo-book'
import { throttle } from '../src/main/book/throttle'
import { createDemoMarket } from '../src/main/demo/index'
import type { BookEvent } from '../src/shared/contract/book'
import { bookView, depthCurves } from '../src/shared/domain/book-view'
import { bestOf, report } from './harness'

const NOW = Date.UTC(2025, 10, 20, 12, 34, 56, 789)
const UPDATES = 200

export async function run(): Promise<void> {
  const demo = createDemoMarket()
  // The throttle as the stream uses it (its timer never fires inside this synchronous loop: every
  // push after the first is a coalescing merge, the common case under a flood).
  const out = throttle<BookEvent>(() => undefined, 100)
  let last = ''
  const engineMs = bestOf(
    () => {
      for (let i = 0; i < UPDATES; i++) {
        const b = demoBook(demo, 'BTC/USDT', NOW + i * 250, 100)
        const key = JSON.stringify([b.bids, b.asks])
        if (key === last) continue
        last = key
        out.push({ source: 'demo', symbol: 'BTC/USDT', ...b, transport: 'simulated' })
      }
    },
    { minRuns: 5, minMs: 1500 },
  )
  out.dispose()
  report({
    name: 'book.engine-per-update',
    value: +((engineMs / UPDATES) * 1000).toFixed(1),
    unit: 'µs',
    levels: 200,
    budgetUs: 1000,
  })

  const books: BookEvent[] = []
  for (let i = 0; i < UPDATES; i++)
    books.push({
      source: 'demo',
      symbol: 'BTC/USDT',
      ...demoBook(demo, 'BTC/USDT', NOW + i * 250, 100),
      transport: 'simulated',
    })
  for (const step of ['0.01', '10', '100']) {
    const ms = bestOf(
      () => {
        for (const b of books) {
          bookView(b, step, 8)
          depthCurves(b)
        }
      },
      { minRuns: 5, minMs: 1000 },
    )
    report({
      name: `book.renderer-per-update.step-${step}`,
      value: +((ms / UPDATES) * 1000).toFixed(1),
      unit: 'µs',
      levels: 200,
      rows: 16,
      budgetUs: 1000,
    })
  }
}
