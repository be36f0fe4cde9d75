import type { Compute } from '../compute'
import type { Part } from '../domain'
import type { Logger } from '../log'
import { openCheckOf, settleOpenCheck, type Db } from './database'
import { quickCheckTask } from './tasks'

/** How long after start-up the background check waits, so it never competes with the start itself. */
export const BACKGROUND_CHECK_DELAY_MS = 1_000

/**
 * The integrity check of a file opened without one (its last run closed it cleanly, see
 * clean-close.ts), run by the compute pool on its own read-only connection once start-up is
 * over. A damaged file is reported in the log and on the Health view (and gets no clean-close
 * note, so the next start checks it before writing).
 */
export function backgroundCheckPart(deps: {
  db: Db
  compute: Pick<Compute, 'run'>
  log: Logger
  nativeBinding?: string | undefined
  delayMs?: number
}): Part {
  let timer: NodeJS.Timeout | undefined
  return {
    name: 'storage-check',
    start() {
      if (openCheckOf(deps.db)?.result !== 'checking') return
      timer = setTimeout(() => void check(), deps.delayMs ?? BACKGROUND_CHECK_DELAY_MS)
    },
    close() {
      clearTimeout(timer)
    },
  }

  async function check(): Promise<void> {
    const began = performance.now()
    try {
      const input = { file: deps.db.name, nativeBinding: deps.nativeBinding }
      const problems = await deps.compute.run(quickCheckTask, input)
      settleOpenCheck(deps.db, problems, Date.now(), performance.now() - began)
      if (problems.length > 0) {
        deps.log.error('the database failed its integrity check', { file: deps.db.name, problems })
      }
    } catch (err) {
      // Closing cancels it: the file stays unvouched for, and the next start checks it first.
      if (deps.db.open) deps.log.warn('the database integrity check did not run', { err: String(err) })
    }
  }
}
