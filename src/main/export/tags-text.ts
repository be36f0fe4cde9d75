import { TAG_KINDS, type Tag } from '../../shared/contract/journal'

/**
 * A trade's tags as one readable cell, `setup:breakout; mistake:chased entry`, and back. Inside
 * a name, `\` is written `\\` and `;` is written `\;`, so any name reads back as it was.
 */
export function formatTags(tags: readonly Tag[]): string {
  return tags.map((t) => `${t.kind}:${t.name.replace(/\\/g, '\\\\').replace(/;/g, '\\;')}`).join('; ')
}

/** The tags of a `tags` cell; an error message naming the tag that cannot be read. */
export function parseTags(text: string): Tag[] | { error: string } {
  const tags: Tag[] = []
  let part = ''
  const end = (): string | null => {
    const p = part.trim()
    part = ''
    if (p === '') return null
    const colon = p.indexOf(':')
    const kind = colon < 0 ? '' : p.slice(0, colon)
    if (!(TAG_KINDS as readonly string[]).includes(kind))
      return `tag "${p}" is not kind:name with a kind of ${TAG_KINDS.join(', ')}`
    const name = p.slice(colon + 1).trim()
    if (name === '' || name.length > 40) return `tag "${p}" needs a name of 1 to 40 characters`
    tags.push({ kind: kind as Tag['kind'], name })
    return null
  }
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (c === '\\' && i + 1 < text.length) part += text[++i]
    else if (c === ';') {
      const err = end()
      if (err) return { error: err }
    } else part += c
  }
  const err = end()
  return err ? { error: err } : tags
}
