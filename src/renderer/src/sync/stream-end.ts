import type { AppErrorShape } from '../../../shared/contract/errors'
import { reportError } from '../features/notices/store'
import { useShellStore } from '../features/shell/store'

/**
 * Says that a stream ended with an error. A stream that ends because the whole connection
 * dropped is already reported by the shell (one "disconnected" notice): only streams that end
 * on their own are reported. The check waits a microtask, so the link's own state change
 * (which arrives with the ends it causes) is seen first.
 */
export function reportStreamEnd(title: string, error: AppErrorShape): void {
  queueMicrotask(() => {
    if (useShellStore.getState().connection !== 'closed') reportError(title, error)
  })
}
