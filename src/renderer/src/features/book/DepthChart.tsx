import { useEffect, useRef } from 'react'
import type { BookEvent } from '../../../../shared/contract/book'
import { depthCurves } from './view'

/**
 * Cumulative bid and ask depth around the mid, drawn on a canvas (a few hundred points a frame at
 * most): bids rise to the left of the spread, asks to the right, in the theme's up and down colours.
 */
export function DepthChart({ book }: { book: BookEvent | null }) {
  const canvas = useRef<HTMLCanvasElement>(null)
  useEffect(() => {
    const el = canvas.current
    if (!el || !book) return
    draw(el, book)
  }, [book])
  return (
    <canvas
      ref={canvas}
      className="book-depth"
      data-testid="depth-chart"
      role="img"
      aria-label="Depth chart: cumulative bids and asks"
    />
  )
}

function draw(el: HTMLCanvasElement, book: BookEvent): void {
  const dpr = window.devicePixelRatio || 1
  const width = el.clientWidth
  const height = el.clientHeight
  if (width === 0 || height === 0) return
  if (el.width !== Math.round(width * dpr)) el.width = Math.round(width * dpr)
  if (el.height !== Math.round(height * dpr)) el.height = Math.round(height * dpr)
  const ctx = el.getContext('2d')
  if (!ctx) return
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0)
  ctx.clearRect(0, 0, width, height)
  const { bids, asks } = depthCurves(book)
  if (bids.length === 0 || asks.length === 0) return
  const lo = bids.at(-1)![0]
  const hi = asks.at(-1)![0]
  const mid = (bids[0]![0] + asks[0]![0]) / 2
  // Symmetric around the mid, so both sides read at the same scale.
  const half = Math.max(mid - lo, hi - mid)
  const maxTotal = Math.max(bids.at(-1)![1], asks.at(-1)![1])
  const x = (p: number) => ((p - (mid - half)) / (2 * half)) * width
  const y = (t: number) => height - 2 - (t / maxTotal) * (height - 6)
  const style = getComputedStyle(el)
  const side = (points: [number, number][], color: string) => {
    ctx.beginPath()
    ctx.moveTo(x(points[0]![0]), height)
    // A step at each level: the depth is flat between two prices with orders.
    let before = 0
    for (const [p, t] of points) {
      ctx.lineTo(x(p), y(before))
      ctx.lineTo(x(p), y(t))
      before = t
    }
    ctx.lineTo(x(points.at(-1)![0]), height)
    ctx.closePath()
    ctx.globalAlpha = 0.22
    ctx.fillStyle = color
    ctx.fill()
    ctx.globalAlpha = 1
    ctx.strokeStyle = color
    ctx.lineWidth = 1.5
    ctx.stroke()
  }
  side(bids, style.getPropertyValue('--up').trim() || '#26a69a')
  side(asks, style.getPropertyValue('--down').trim() || '#ef5350')
  ctx.strokeStyle = style.getPropertyValue('--border-strong').trim() || '#2a3441'
  ctx.lineWidth = 1
  ctx.beginPath()
  ctx.moveTo(Math.round(x(mid)) + 0.5, 0)
  ctx.lineTo(Math.round(x(mid)) + 0.5, height)
  ctx.stroke()
}
