import type { ReactElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'

// The renderer's own file, loaded by path: the node project's type check does not take in the
// renderer's sources (tsconfig.web.json checks the file itself).
const NOTES = '../../src/renderer/src/features/journal/notes-markdown'
const { renderNotes } = (await import(NOTES)) as { renderNotes: (text: string) => ReactElement }

/** The trade's notes are rendered markdown; what a note (or an imported file) carries as HTML or script never becomes live. */
describe('journal notes markdown', () => {
  const html = (md: string): string => renderToStaticMarkup(renderNotes(md))

  it('renders markdown: emphasis, lists, links that open outside', () => {
    const out = html('Breakout, **held** to target.\n\n- scale out\n- [plan](https://example.com/p)')
    expect(out).toContain('<strong>held</strong>')
    expect(out).toContain('<li>scale out</li>')
    expect(out).toContain(
      '<a href="https://example.com/p" target="_blank" rel="noreferrer noopener">plan</a>',
    )
  })

  it('never renders raw HTML: no img with onerror, no script, no inline handlers', () => {
    const out = html(
      'before <img src=x onerror="alert(1)"> after\n\n<script>alert(2)</script>\n\n<div onclick="alert(3)">x</div>\n\n<iframe src="https://evil"></iframe>',
    )
    expect(out).not.toMatch(/<img|<script|<iframe|<div|onerror|onclick/i)
    expect(out).toContain('before')
    expect(out).toContain('after')
  })

  it('drops javascript: and data: link targets, keeping the words', () => {
    const out = html(
      '[click](javascript:alert(1)) [js2](JaVaScRiPt:alert(1)) [d](data:text/html;base64,PHNjcmlwdD4=) <javascript:alert(4)>',
    )
    // No link at all: each becomes its words (the autolink's text stays visible, inert).
    expect(out).not.toMatch(/<a\b|href=/i)
    expect(out).toBe(
      '<p><span>click</span> <span>js2</span> <span>d</span> <span>javascript:alert(4)</span></p>',
    )
  })

  it('shows images as their alt text, loading nothing', () => {
    const out = html('![chart](https://tracker.example/p.png) ![x](javascript:alert(1))')
    expect(out).not.toMatch(/<img|src=/)
    expect(out).toContain('[image: chart]')
  })
})
