/**
 * JSON text in pieces, for answers too large to stringify in one go: `JSON.stringify` of a
 * 100,000-bar `charting.series` answer with five indicators (31 MB) holds the event loop for
 * about 160 ms here, during which the host answers nothing else, `/healthz` included. The
 * concatenated pieces equal `JSON.stringify(value)` for everything a handler answers (plain
 * objects, arrays, strings, numbers, booleans, null, `toJSON`); no piece splits a string, so
 * each can go out as a text fragment of its own.
 */

/** Long runs of primitives are stringified this many elements at a time. */
const RUN = 8192

export function* jsonPieces(value: unknown): Generator<string, void, undefined> {
  yield* piece(toJson(value, ''))
}

function* piece(value: unknown): Generator<string, void, undefined> {
  if (value === null || typeof value !== 'object') {
    yield JSON.stringify(value) ?? 'null'
    return
  }
  if (Array.isArray(value)) {
    yield* arrayPieces(value)
    return
  }
  const proto = Object.getPrototypeOf(value) as unknown
  if (proto !== Object.prototype && proto !== null) {
    // Boxed primitives, typed arrays, class instances: rare in answers, and JSON knows them.
    yield JSON.stringify(value)
    return
  }
  let sep = '{'
  for (const key of Object.keys(value)) {
    const v = toJson((value as Record<string, unknown>)[key], key)
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue
    yield `${sep}${JSON.stringify(key)}:`
    sep = ','
    yield* piece(v)
  }
  yield sep === '{' ? '{}' : '}'
}

function* arrayPieces(list: readonly unknown[]): Generator<string, void, undefined> {
  if (list.length === 0) {
    yield '[]'
    return
  }
  let sep = '['
  let i = 0
  while (i < list.length) {
    let j = i
    while (j < list.length && j - i < RUN && isPrimitive(list[j])) j++
    if (j > i) {
      const text = JSON.stringify(list.slice(i, j))
      yield sep + text.slice(1, -1)
      i = j
    } else {
      yield sep
      yield* piece(toJson(list[i], String(i)) ?? null)
      i++
    }
    sep = ','
  }
  yield ']'
}

/** As JSON.stringify does, an object's `toJSON(key)` stands for it. */
function toJson(value: unknown, key: string): unknown {
  if (value !== null && typeof value === 'object') {
    const fn = (value as { toJSON?: unknown }).toJSON
    if (typeof fn === 'function') return (fn as (k: string) => unknown).call(value, key)
  }
  return value
}

function isPrimitive(v: unknown): boolean {
  return v === null || typeof v !== 'object'
}

/**
 * Roughly how many bytes `value` takes as JSON, without writing it: column answers cost only a
 * look at their arrays' lengths and first few elements. For deciding whether an answer needs
 * pieces, and how much a peer that does not read has waiting.
 */
export function estimateJsonBytes(value: unknown): number {
  if (value === null || value === undefined) return 4
  switch (typeof value) {
    case 'number':
      return 12
    case 'boolean':
      return 5
    case 'string':
      return value.length + 2
    case 'object':
      break
    default:
      return 4
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return 2
    if (isPrimitive(value[0])) {
      const sample = value.slice(0, 16)
      const per = sample.reduce<number>((n, v) => n + estimateJsonBytes(v) + 1, 0) / sample.length
      return Math.ceil(per * value.length) + 2
    }
    let n = 2
    for (const v of value) n += estimateJsonBytes(v) + 1
    return n
  }
  let n = 2
  for (const [k, v] of Object.entries(value)) n += k.length + 4 + estimateJsonBytes(v)
  return n
}
