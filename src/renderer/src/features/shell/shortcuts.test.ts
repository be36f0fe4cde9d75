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

  it('has the drawing tools on Alt+letter (by the physical key), undo, redo, Delete and Escape', () => {
    expect(shortcutFor(press('t', { altKey: true, code: 'KeyT' }), false)?.id).toBe('draw.trend')
    // Option+H on a Mac types ˙: the physical key decides.
    expect(shortcutFor(press('˙', { altKey: true, code: 'KeyH' }), false)?.id).toBe('draw.hline')
    expect(shortcutFor(press('j', { altKey: true, code: 'KeyJ' }), false)?.id).toBe('draw.hray')
    expect(shortcutFor(press('r', { altKey: true, code: 'KeyR' }), false)?.id).toBe('draw.rect')
    expect(shortcutFor(press('f', { altKey: true, code: 'KeyF' }), false)?.id).toBe('draw.fib')
    expect(shortcutFor(press('n', { altKey: true, code: 'KeyN' }), false)?.id).toBe('draw.note')
    expect(shortcutFor(press('m', { altKey: true, code: 'KeyM' }), false)?.id).toBe('draw.measure')
    expect(shortcutFor(press('Delete'), false)?.id).toBe('draw.delete')
    expect(shortcutFor(press('Backspace'), false)?.id).toBe('draw.delete')
    expect(shortcutFor(press('z', { ctrlKey: true }), false)?.id).toBe('draw.undo')
    expect(shortcutFor(press('z', { metaKey: true }), false)?.id).toBe('draw.undo')
    expect(shortcutFor(press('y', { ctrlKey: true }), false)?.id).toBe('draw.redo')
    expect(shortcutFor(press('Z', { ctrlKey: true, shiftKey: true }), false)?.id).toBe('draw.redo')
    expect(shortcutFor(press('Escape'), false)?.id).toBe('draw.cancel')
    // A plain letter still starts a symbol search; in a field, undo and Delete are the field's.
    expect(shortcutFor(press('t'), false)?.id).toBe('search.type')
    for (const k of ['Delete', 'Backspace', 'Escape']) expect(shortcutFor(press(k), true), k).toBeUndefined()
    expect(shortcutFor(press('z', { ctrlKey: true }), true)).toBeUndefined()
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
