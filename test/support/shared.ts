/**
 * The shared reference folder: real candle histories (`data/`) and independent reference results
 * (`reference/`: TA-Lib's series, ccxt's recorded Binance traffic, ...) that tests and benches
 * compare against. It is never copied into the repository: it sits beside it as `../shared`, or
 * wherever CANDLEWORK_SHARED points. Everything that reads it goes through here, so a missing
 * folder or file fails with the path that is missing and how to provide it, not with an ENOENT
 * deep inside a parser.
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, isAbsolute, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The environment variable naming the shared folder when it is not `../shared`. */
export const SHARED_ENV = 'CANDLEWORK_SHARED'

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

/** The shared folder: `$CANDLEWORK_SHARED` when set, else `../shared` beside the repository. */
export function sharedDir(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env[SHARED_ENV]
  return configured ? resolve(REPO_ROOT, configured) : resolve(REPO_ROOT, '../shared')
}

/**
 * The absolute path of `relative` (e.g. `data/backtrader/2006-day-001.txt`) in the shared folder;
 * throws, naming the missing folder or file and what to do, when it is not there.
 */
export function sharedPath(relative: string, env: NodeJS.ProcessEnv = process.env): string {
  if (isAbsolute(relative))
    throw new Error(`sharedPath takes a path inside the shared folder, not ${relative}`)
  const dir = sharedDir(env)
  const where = env[SHARED_ENV] ? `${SHARED_ENV}=${env[SHARED_ENV]}` : '../shared beside the repository'
  if (!existsSync(dir)) {
    const fix = env[SHARED_ENV]
      ? `set ${SHARED_ENV} to where the folder really is, or unset it to use ../shared beside the repository`
      : `put the shared folder at ${dir}, or set ${SHARED_ENV} to where it is`
    throw new Error(
      `The shared reference folder ${dir} (${where}) does not exist, so ${relative} cannot be read. ` +
        `Tests read real data and reference results from it: ${fix}.`,
    )
  }
  const path = join(dir, relative)
  if (!existsSync(path)) {
    throw new Error(
      `${relative} is missing from the shared reference folder ${dir} (${where}): ${path} does not exist. ` +
        `Use a complete copy of the shared folder, or set ${SHARED_ENV} to one.`,
    )
  }
  return path
}

/** The text of `relative` in the shared folder (see sharedPath for a missing file). */
export function readShared(relative: string): string {
  return readFileSync(sharedPath(relative), 'utf8')
}

/** `relative` in the shared folder, parsed as JSON. */
export function readSharedJson<T>(relative: string): T {
  return JSON.parse(readShared(relative)) as T
}
