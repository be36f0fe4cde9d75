/**
 * `new-token [--data-dir D]`: replaces the headless host's access token. A host running on the
 * folder notices within a second, closes every connection that used the old token and prints
 * its new URL; a host started later uses the new token.
 *
 * Exit codes: 0 written; 1 the file could not be written; 2 usage errors.
 */
import { writeNewToken, tokenFile } from '../headless/token'
import { resolveDataDir } from '../paths'
import { parseFlags, type CliCommand } from './io'

const USAGE = `Usage: npm run cli -- new-token [--data-dir D]

  --data-dir D      data folder (default: CANDLEWORK_DATA_DIR or the app's folder)`

const OPTIONS = {
  'data-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const

export const newTokenCommand: CliCommand = async (argv, io) => {
  const flags = parseFlags('new-token', USAGE, argv, OPTIONS, io)
  if (!flags.ok) return flags.exit
  const dataDir = resolveDataDir(flags.values['data-dir'])
  let token: string
  try {
    token = writeNewToken(dataDir)
  } catch (err) {
    io.err(`new-token: could not write ${tokenFile(dataDir)}: ${(err as Error).message}`)
    return 1
  }
  io.out(
    [
      `A new access token is in ${tokenFile(dataDir)}.`,
      'A host running on this folder notices within a second: it closes every connection that used the old token and prints its new URL.',
      `Otherwise open the host's address with #token=${token} at the end, e.g. http://127.0.0.1:5170/#token=${token}`,
    ].join('\n'),
  )
  return 0
}
