/**
 * At most one event per `intervalMs`, none lost that matters: the first value goes out at once,
 * values pushed within the interval are folded into one pending value by `merge` (the latest book
 * replaces the one before; new trades are appended), and that is sent when the interval ends.
 * A quiet subscription costs no timer; one under a flood sends exactly one event per interval.
 */
export interface Throttle<T> {
  push(value: T): void
  dispose(): void
}

export function throttle<T>(
  emit: (value: T) => void,
  intervalMs: number,
  merge: (pending: T, next: T) => T = (_pending, next) => next,
): Throttle<T> {
  let pending: { value: T } | null = null
  let timer: ReturnType<typeof setTimeout> | null = null
  let disposed = false
  const open = () => {
    timer = setTimeout(flush, intervalMs)
  }
  const flush = () => {
    timer = null
    if (!pending || disposed) return
    const { value } = pending
    pending = null
    emit(value)
    open()
  }
  return {
    push(value) {
      if (disposed) return
      if (timer === null) {
        emit(value)
        open()
      } else pending = { value: pending ? merge(pending.value, value) : value }
    },
    dispose() {
      disposed = true
      if (timer !== null) clearTimeout(timer)
      timer = null
      pending = null
    },
  }
}
