/**
 * The heat strip's colours: red (0, strong sell) through grey (50, neutral) to green (100,
 * strong buy), in the palette of app.css (--down, --border-strong, --up). Pure, so it is tested
 * beside this file.
 */
const SELL: readonly [number, number, number] = [0xef, 0x53, 0x50]
const NEUTRAL: readonly [number, number, number] = [0x2a, 0x34, 0x41]
const BUY: readonly [number, number, number] = [0x26, 0xa6, 0x9a]

/**
 * The cell colour of a score: linear from neutral grey at 50 toward the buy or sell colour,
 * reaching 85% of it at 0/100 (a full-strength fill would drown the number), with a square-root
 * ease so that a 60 or a 40 is already visibly tinted.
 */
export function heatColour(score: number): string {
  const s = Math.min(100, Math.max(0, score))
  const d = (s - 50) / 50
  const target = d >= 0 ? BUY : SELL
  const t = 0.85 * Math.sqrt(Math.abs(d))
  const c = NEUTRAL.map((n, i) => Math.round(n + (target[i]! - n) * t))
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`
}

/** A score as the panel shows it: a whole number (the exact value is in the tooltip). */
export function formatScore(score: number): string {
  return String(Math.round(score))
}

/** Confidence 0..1 as a percentage. */
export function formatConfidence(confidence: number): string {
  return `${Math.round(confidence * 100)}%`
}
