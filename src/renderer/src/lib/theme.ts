/**
 * Dark or light: the trader's choice, or the operating system's (prefers-color-scheme) by
 * default. The choice is the `data-theme` attribute of <html>; every colour of the panels is a
 * CSS variable of styles/app.css that the light theme redefines, and every chart reads its
 * colours from those variables (`chartPalette`) and applies them again when the theme changes
 * (`onThemeChange`).
 */

export type ThemePreference = 'system' | 'dark' | 'light'
export type ThemeName = 'dark' | 'light'

let preference: ThemePreference = 'system'
let applied: ThemeName | null = null
const listeners = new Set<(theme: ThemeName) => void>()

const query = (): MediaQueryList | null =>
  typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: light)') : null

function resolve(): ThemeName {
  if (preference !== 'system') return preference
  return query()?.matches ? 'light' : 'dark'
}

function apply(): void {
  const next = resolve()
  if (next === applied) return
  applied = next
  document.documentElement.dataset.theme = next
  for (const l of [...listeners]) l(next)
}

let watching = false

/** Sets the preference and applies it; `system` follows the OS as it changes. */
export function setThemePreference(p: ThemePreference): void {
  preference = p
  if (!watching) {
    watching = true
    query()?.addEventListener('change', apply)
  }
  apply()
}

/** The theme shown now. */
export function currentTheme(): ThemeName {
  return applied ?? resolve()
}

export function onThemeChange(listener: (theme: ThemeName) => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

export interface ChartPalette {
  background: string
  text: string
  grid: string
  border: string
  crosshair: string
  crosshairLabel: string
  up: string
  down: string
  upVolume: string
  downVolume: string
  accent: string
  warn: string
}

/** The charts' colours in the theme shown now, read from the CSS variables (`--chart-*`). */
export function chartPalette(): ChartPalette {
  const css = getComputedStyle(document.documentElement)
  const v = (name: string, fallback: string): string => css.getPropertyValue(name).trim() || fallback
  return {
    background: v('--chart-bg', '#0d1117'),
    text: v('--chart-text', '#8b95a5'),
    grid: v('--chart-grid', '#161c25'),
    border: v('--chart-border', '#222a36'),
    crosshair: v('--chart-crosshair', '#5d6b80'),
    crosshairLabel: v('--chart-crosshair-label', '#2a3340'),
    up: v('--up', '#26a69a'),
    down: v('--down', '#ef5350'),
    upVolume: v('--chart-up-volume', 'rgba(38, 166, 154, 0.38)'),
    downVolume: v('--chart-down-volume', 'rgba(239, 83, 80, 0.38)'),
    accent: v('--accent', '#4f8cff'),
    warn: v('--warn', '#e2a93b'),
  }
}
