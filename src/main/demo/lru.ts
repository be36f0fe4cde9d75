/** A small least-recently-used cache: a Map keeps insertion order, so the first key is the oldest. */
export class Lru<K, V> {
  private readonly map = new Map<K, V>()

  constructor(private readonly capacity: number) {}

  get(key: K): V | undefined {
    const value = this.map.get(key)
    if (value !== undefined) {
      this.map.delete(key)
      this.map.set(key, value)
    }
    return value
  }

  /** Stores `value`; returns the entry it evicted, if any, so its buffers can be reused. */
  set(key: K, value: V): V | undefined {
    this.map.delete(key)
    this.map.set(key, value)
    if (this.map.size <= this.capacity) return undefined
    const oldest = this.map.entries().next()
    if (oldest.done) return undefined
    this.map.delete(oldest.value[0])
    return oldest.value[1]
  }

  get size(): number {
    return this.map.size
  }
}
