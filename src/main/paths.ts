import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'

export const APP_NAME = 'Candlework'

/**
 * The data folder for the headless host, the CLI and tests: `--data-dir`, else
 * CANDLEWORK_DATA_DIR, else the folder Electron uses for userData on this platform, so the
 * desktop app and the headless host share one history by default.
 */
export function resolveDataDir(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return resolve(flag)
  if (env.CANDLEWORK_DATA_DIR) return resolve(env.CANDLEWORK_DATA_DIR)
  return defaultUserDataDir(env)
}

function defaultUserDataDir(env: NodeJS.ProcessEnv): string {
  switch (process.platform) {
    case 'win32':
      return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_NAME)
    case 'darwin':
      return join(homedir(), 'Library', 'Application Support', APP_NAME)
    default:
      return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_NAME)
  }
}

export const databaseFile = (dataDir: string): string => join(dataDir, 'candlework.db')
export const logFile = (dataDir: string): string => join(dataDir, 'logs', 'candlework.log')
/** API keys for the headless host, encrypted with the passphrase (see src/main/secrets). */
export const secretsFile = (dataDir: string): string => join(dataDir, 'secrets.json')
/** API keys for the desktop app, encrypted by the OS through Electron safeStorage. */
export const desktopSecretsFile = (dataDir: string): string => join(dataDir, 'secrets-desktop.json')

/*
 * The data folder holds the trading history, encrypted API keys and the host's access token:
 * only its owner may read it. Modes are set with chmod as well as at creation, because the
 * umask can only take bits away (a umask of 0 would leave 0666 files) and because a folder or
 * file made by an older version keeps the mode it was made with.
 */
const OWNER_ONLY_DIR = 0o700
const OWNER_ONLY_FILE = 0o600

/** Creates `dir` (and missing parents) if needed and makes it 0700. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: OWNER_ONLY_DIR })
  restrict(dir, OWNER_ONLY_DIR)
}

/** Creates `file` empty if missing, without truncating it, and makes it 0600. */
export function ensurePrivateFile(file: string): void {
  closeSync(openSync(file, 'a', OWNER_ONLY_FILE))
  restrict(file, OWNER_ONLY_FILE)
}

/** Makes an existing `file` 0600; a missing one is left missing. */
export function restrictFile(file: string): void {
  try {
    restrict(file, OWNER_ONLY_FILE)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
}

function restrict(path: string, mode: number): void {
  // Windows has no POSIX modes (chmod there only toggles read-only); its ACLs are the profile's.
  if (process.platform !== 'win32') chmodSync(path, mode)
}
