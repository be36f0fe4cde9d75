/**
 * A self-contained HTML tearsheet of a run (no scripts, no external files): statistics, equity
 * and drawdown as inline SVG, the monthly returns heatmap and the trades table.
 */
import type { RunOutput } from './run'

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

const pct = (x: number): string => (x === x ? `${(x * 100).toFixed(2)} %` : '–')
const fix = (x: number, d = 2): string => (x === x ? x.toFixed(d) : '–')
const day = (t: number): string => (t === t ? new Date(t).toISOString().slice(0, 16).replace('T', ' ') : '–')

/** An SVG polyline of `values`, at most ~1,500 points (min and max of each bucket kept). */
function chart(values: Float64Array, height: number, color: string, fill: boolean): string {
  const n = values.length
  const W = 1000
  if (n === 0) return ''
  let lo = Infinity
  let hi = -Infinity
  for (const v of values) {
    if (v < lo) lo = v
    if (v > hi) hi = v
  }
  if (hi === lo) hi = lo + 1
  const buckets = Math.min(n, 750)
  const pts: string[] = []
  for (let b = 0; b < buckets; b++) {
    const a = Math.floor((b * n) / buckets)
    const z = Math.max(a + 1, Math.floor(((b + 1) * n) / buckets))
    let mn = Infinity
    let mx = -Infinity
    for (let i = a; i < z; i++) {
      mn = Math.min(mn, values[i]!)
      mx = Math.max(mx, values[i]!)
    }
    const x = ((a / Math.max(1, n - 1)) * W).toFixed(1)
    const y = (v: number): string => (height - ((v - lo) / (hi - lo)) * height).toFixed(1)
    pts.push(`${x},${y(mx)}`, `${x},${y(mn)}`)
  }
  const line = pts.join(' ')
  const area = fill ? `<polygon points="0,0 ${line} ${W},0" fill="${color}" opacity="0.25"/>` : ''
  return `<svg viewBox="0 0 ${W} ${height}" preserveAspectRatio="none" width="100%" height="${height}">${area}<polyline points="${line}" fill="none" stroke="${color}" stroke-width="1.2"/></svg>`
}

function monthly(out: RunOutput): string {
  const rows = new Map<number, Map<number, number>>()
  for (const m of out.metrics.monthlyReturns) {
    if (!rows.has(m.year)) rows.set(m.year, new Map())
    rows.get(m.year)!.set(m.month, m.return)
  }
  const cell = (r: number | undefined): string => {
    if (r === undefined || r !== r) return '<td></td>'
    const a = Math.min(1, Math.abs(r) / 0.1)
    const bg = r >= 0 ? `rgba(22,163,74,${a.toFixed(2)})` : `rgba(220,38,38,${a.toFixed(2)})`
    return `<td style="background:${bg}">${(r * 100).toFixed(1)}</td>`
  }
  const head = ['Year', 'Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
  const body = [...rows.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(
      ([y, ms]) =>
        `<tr><th>${y}</th>${Array.from({ length: 12 }, (_, k) => cell(ms.get(k + 1))).join('')}</tr>`,
    )
  return `<table class="heat"><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr>${body.join('')}</table>`
}

export function tearsheetHtml(out: RunOutput): string {
  const m = out.metrics
  const r = out.result
  const stats: [string, string][] = [
    ['Total return', pct(m.totalReturn)],
    ['CAGR', pct(m.cagr)],
    ['Annual volatility', pct(m.annualVolatility)],
    ['Sharpe', fix(m.sharpe)],
    ['Sortino', fix(m.sortino)],
    ['Calmar', fix(m.calmar)],
    ['Omega', fix(m.omega)],
    ['Max drawdown', pct(m.maxDrawdown)],
    ['Exposure', pct(m.exposureTime)],
    ['Trades', String(m.trades)],
    ['Win rate', pct(m.winRate)],
    ['Profit factor', fix(m.profitFactor)],
    ['Expectancy', fix(m.expectancy)],
    ['Best / worst trade', `${pct(m.bestTrade)} / ${pct(m.worstTrade)}`],
    ['SQN', fix(m.sqn)],
    ['Kelly', fix(m.kelly)],
    ['Fees paid', fix(r.feesPaid)],
    ['Buy and hold', pct(m.buyHoldReturn)],
    ['Alpha / beta', `${fix(m.alpha, 3)} / ${fix(m.beta, 3)}`],
    ['Ambiguous bars', String(r.ambiguousBars)],
    ['Bars resolved on finer bars', String(r.intrabarBars)],
  ]
  const trades = r.trades
    .slice(0, 2000)
    .map(
      (t) =>
        `<tr><td>${esc(t.symbol)}</td><td>${day(t.entryTime)}</td><td>${day(t.exitTime)}</td><td>${t.size}</td><td>${fix(t.entryPrice, 4)}</td><td>${fix(t.exitPrice, 4)}</td><td class="${t.pnl >= 0 ? 'up' : 'down'}">${fix(t.pnl)}</td><td>${pct(t.returnPct)}</td><td>${fix(t.fees)}</td><td>${esc(t.exitReason)}</td></tr>`,
    )
    .join('')
  return `<!doctype html><html><head><meta charset="utf-8"><title>Backtest ${esc(out.strategy)}</title><style>
body{font:13px system-ui,sans-serif;margin:24px;color:#111;background:#fff}h1{font-size:18px}h2{font-size:15px;margin-top:24px}
table{border-collapse:collapse}td,th{padding:3px 8px;border-bottom:1px solid #eee;text-align:right}th{text-align:left}
.stats{display:grid;grid-template-columns:repeat(auto-fill,minmax(180px,1fr));gap:8px}.stats div{border:1px solid #ddd;border-radius:6px;padding:6px 10px}
.stats b{display:block;font-size:15px}.heat td{text-align:center;min-width:42px}.up{color:#15803d}.down{color:#b91c1c}.note{color:#92400e}
</style></head><body>
<h1>${esc(out.strategy)} <small>${esc(JSON.stringify(out.params))}</small></h1>
<p>${day(m.start)} – ${day(m.end)} · ${m.bars} bars · data ${out.dataFingerprint.slice(0, 16)} · strategy ${out.strategyHash.slice(0, 16)}</p>
${r.flags.map((f) => `<p class="note">${esc(f)}</p>`).join('')}
<div class="stats">${stats.map(([k, v]) => `<div>${esc(k)}<b>${esc(v)}</b></div>`).join('')}</div>
<h2>Equity</h2>${chart(r.equity.value, 220, '#2563eb', false)}
<h2>Drawdown</h2>${chart(r.drawdown, 110, '#dc2626', true)}
<h2>Monthly returns (%)</h2>${monthly(out)}
<h2>Trades (${r.trades.length})</h2><table><tr><th>Symbol</th><th>Entry</th><th>Exit</th><th>Size</th><th>Entry price</th><th>Exit price</th><th>P&amp;L</th><th>Return</th><th>Fees</th><th>Exit</th></tr>${trades}</table>
</body></html>
`
}
