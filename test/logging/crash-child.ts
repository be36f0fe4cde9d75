/*
 * A process that dies of an uncaught exception with log lines still buffered, for log.test.ts:
 * `node --import tsx crash-child.ts <file> <count>`.
 */
import { createLogger, logCrashes } from '../../src/main/log'

const [file, count] = process.argv.slice(2)
const log = createLogger({ file, echo: false })
logCrashes(log)
// The file opens on the first turn of the event loop; the crash comes after that, as in a host.
setTimeout(() => {
  for (let i = 0; i < Number(count); i++) log.info('before the crash', { i })
  throw new Error('the crash itself')
}, 50)
