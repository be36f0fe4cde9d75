import { defineTask, type TaskOutput } from '../compute/task'
import { computeSeed, seedTransferList, type SeedRequest, type SeedResult } from './seed'

/** A symbol's cold signal seed: bars generated or shipped, replayed, encoded (seed.ts). */
export const seedTask = defineTask('signals.seed', (input: SeedRequest): TaskOutput<SeedResult> => {
  const value = computeSeed(input)
  return { value, transfer: seedTransferList(value) }
})

/** Signals' compute task kinds (listed in src/main/tasks.ts). */
export const SIGNALS_TASKS = [seedTask]
