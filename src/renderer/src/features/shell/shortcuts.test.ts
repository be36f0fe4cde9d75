import { describe, expect, it } from 'vitest'
import { isTyping, shortcutFor, SHORTCUTS, type KeyPress } from './shortcuts'

const press = (key: string, more: Partial<KeyPress> = {}): KeyPress => ({
  key,
  altKey: false,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  ...more,
})

describe('the shortcut registry', () => {
  it('maps keys to one entry each', () => {
    expect(shortcutFor(press('?', { shiftKey: true }), false)?.id).toBe('help')
    expect(shortcutFor(press('F9'), false)?.id).toBe('ticket')
    expect(shortcutFor(press('3'), false)?.id).toBe('timeframe')
    expect(shortcutFor(press('¡', { altKey: true, code: 'Digit1' }), false)?.id).toBe('view')
    expect(shortcutFor(press('b'), false)?.id).toBe('buy')
    expect(shortcutFor(press('S', { shiftKey: true }), false)?.id).toBe('sell')
    expect(shortcutFor(press('ArrowDown'), false)?.id).toBe('symbols')
    expect(shortcutFor(press('ArrowLeft'), false)?.id).toBe('chart.scroll')
    expect(shortcutFor(press('+'), false)?.id).toBe('chart.zoom')
    expect(shortcutFor(press('End'), false)?.id).toBe('chart.latest')
    expect(shortcutFor(press('/'), false)?.id).toBe('search')
    expect(shortcutFor(press('k', { ctrlKey: true }), false)?.id).toBe('search')
    expect(shortcutFor(press('K', { metaKey: true, shiftKey: true }), false)?.id).toBe('search')
    expect(shortcutFor(press('g'), false)?.id).toBe('search.type')
    expect(shortcutFor(press('E', { shiftKey: true }), false)?.id).toBe('search.type')
  })

  it('leaves keys with Ctrl or Cmd to the browser (copy, reload, tabs)', () => {
    expect(shortcutFor(press('b', { ctrlKey: true }), false)).toBeUndefined()
    expect(shortcutFor(press('1', { metaKey: true }), false)).toBeUndefined()
    expect(shortcutFor(press('F9', { ctrlKey: true }), false)).toBeUndefined()
  })

  it('fires nothing while typing in a field but F9', () => {
    for (const k of ['?', 'b', 's', 'g', '/', '3', 'ArrowDown', 'ArrowLeft', '+', 'End'])
      expect(shortcutFor(press(k), true), k).toBeUndefined()
    expect(shortcutFor(press('F9'), true)?.id).toBe('ticket')
  })

  it('knows which elements take typing', () => {
    expect(isTyping({ tagName: 'INPUT', type: 'text' })).toBe(true)
    expect(isTyping({ tagName: 'INPUT', type: 'search' })).toBe(true)
    expect(isTyping({ tagName: 'INPUT', type: 'checkbox' })).toBe(false)
    expect(isTyping({ tagName: 'TEXTAREA' })).toBe(true)
    expect(isTyping({ tagName: 'SELECT' })).toBe(true)
    expect(isTyping({ tagName: 'DIV', isContentEditable: true })).toBe(true)
    expect(isTyping({ tagName: 'BUTTON' })).toBe(false)
    expect(isTyping(null)).toBe(false)
  })

  it('describes every entry for the lists (Settings and the "?" overlay), with unique ids', () => {
    const ids = SHORTCUTS.map((s) => s.id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const s of SHORTCUTS) expect(s.description.length).toBeGreaterThan(10)
  })
})
