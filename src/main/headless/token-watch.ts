import { unwatchFile, watch, watchFile, type FSWatcher } from 'node:fs'
import { basename } from 'node:path'
import { readToken, tokenFile } from './token'

/** How often the token file's status is polled, as a fallback to change events. */
export const TOKEN_POLL_MS = 1000

/**
 * Calls `onChange(token)` whenever the token file in `dataDir` comes to hold a valid token other
 * than the last one seen (starting from `current`); returns what stops watching.
 *
 * Two sources, both cheap: `fs.watch` on the folder, not the file, because `new-token` replaces
 * the file by renaming a new one over it and a watch on the old inode would see nothing more;
 * and a stat poll, because change events are not delivered everywhere (network file systems,
 * some containers). A file that is missing or holds no valid token is ignored: the host keeps
 * the token it has rather than lock everyone out.
 */
export function watchToken(
  dataDir: string,
  current: string,
  onChange: (token: string) => void,
  pollMs = TOKEN_POLL_MS,
): () => void {
  const file = tokenFile(dataDir)
  let last = current
  const check = (): void => {
    const token = readToken(dataDir)
    if (token === null || token === last) return
    last = token
    onChange(token)
  }
  let watcher: FSWatcher | undefined
  try {
    watcher = watch(dataDir, { persistent: false }, (_event, name) => {
      if (name === null || name === basename(file)) check()
    })
    watcher.on('error', () => watcher?.close()) // the folder went away: the poll carries on
  } catch {
    watcher = undefined // this file system has no change events: the poll alone
  }
  const poll = (): void => check()
  watchFile(file, { interval: pollMs, persistent: false }, poll)
  return () => {
    watcher?.close()
    unwatchFile(file, poll)
  }
}
