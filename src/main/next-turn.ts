/**
 * Resolves on the next turn of the event loop (after pending I/O): long work done in slices
 * awaits it between two, so the host keeps answering meanwhile.
 */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))
