/** The writer quotes exactly as csv-stringify (the well-kept library) does, for awkward text. */
import { stringify } from 'csv-stringify/sync'
import { describe, expect, it } from 'vitest'
import { csvField, guardText, unguardText } from '../../src/main/export/csv-text'

const AWKWARD = [
  '',
  'plain',
  'a,b',
  'say "hi"',
  'two\nlines',
  'cr\rhere',
  'crlf\r\n',
  '"',
  ',',
  ' spaced ',
  'ünï€ode',
]

describe('csv text', () => {
  it('quotes fields as csv-stringify does', () => {
    for (const s of AWKWARD) {
      expect(csvField(s) + '\n', JSON.stringify(s)).toBe(stringify([[s]], { quoted_empty: false }))
    }
  })

  it("guards the OWASP starting characters and ' itself, and unguards exactly", () => {
    for (const s of ['=1', '+1', '-1', '@x', '\tx', '\rx', "'x", "''", 'x=1', '1-2', '']) {
      const g = guardText(s)
      expect(/^[=+\-@\t\r]/.test(g), s).toBe(false)
      expect(unguardText(g)).toBe(s)
    }
  })
})
