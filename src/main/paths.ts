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
