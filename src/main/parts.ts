import type { Logger } from './log'
import type { Part } from './domain'

/**
 * The engine's parts in the order they depend on each other: started in that order, closed in
 * reverse, so nothing is closed while a later part may still use it. A part that fails to close
 * is logged and the rest still close.
 */
export class Parts {
  private readonly list: Part[] = []
  private closing: Promise<void> | null = null

  constructor(private readonly log: Logger) {}

  /** Adds a part (after the ones it uses) and returns it. */
  add<P extends Part>(part: P): P {
    if (this.closing) throw new Error(`"${part.name}" added after the engine closed`)
    this.list.push(part)
    return part
  }

  startAll(): void {
    for (const part of this.list) part.start?.()
  }

  /** Closes every part once, last added first; later calls wait for the same close. */
  closeAll(): Promise<void> {
    this.closing ??= (async () => {
      for (const part of [...this.list].reverse()) {
        try {
          await part.close?.()
        } catch (err) {
          this.log.error(`closing ${part.name} failed`, err)
        }
      }
    })()
    return this.closing
  }
}
