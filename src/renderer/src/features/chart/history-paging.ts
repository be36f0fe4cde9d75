/**
 * Bars one "older history" page asks for as the trader scrolls left (issue 19's goal: the next
 * 10,000 bars painted in under 150 ms; `npx tsx bench/run.ts chart-speed` measures it, see
 * docs/ARCHITECTURE.md "Chart speed"), and a page stays far below `market.candles`' 100,000-bar cap.
 */
export const HISTORY_PAGE = 10_000

/**
 * Bars from the left edge of the view at which the next older page is asked for: several
 * screens ahead, so the page is usually there before the trader reaches the edge (the demo
 * market builds 10,000 15m bars from 150,000 1m bars, a few hundred ms).
 */
export const HISTORY_MARGIN = 1000
