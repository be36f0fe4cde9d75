import { existsSync } from 'node:fs'
import { join } from 'node:path'

/**
 * better-sqlite3 compiled for Electron's ABI lives apart from the Node build in node_modules
 * (which `npm test` uses), so neither build breaks the other. `npm run rebuild:electron`
 * makes it; packaged apps carry it in resources.
 */
export function electronSqliteBinding(appRoot: string, resourcesPath: string): string | undefined {
  const candidates = [
    join(resourcesPath, 'native', 'better_sqlite3.node'),
    join(appRoot, 'native', 'electron', 'better_sqlite3.node'),
  ]
  return candidates.find((p) => existsSync(p))
}
