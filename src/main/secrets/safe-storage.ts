import { existsSync, readFileSync } from 'node:fs'
import { AppError } from '../../shared/contract/errors'
import { registerSecret } from '../log'
import { writeFileAtomic } from './atomic-file'
import { serialised, type SecretStore } from './store'

/**
 * The part of Electron's `safeStorage` this adapter uses. The desktop shell passes Electron's
 * object; this folder never imports electron, so it runs under Vitest and in the headless host.
 */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean
  encryptString(plainText: string): Buffer
  decryptString(encrypted: Buffer): string
  /** Linux only: `basic_text` means no keyring was found and the "encryption" uses a fixed key. */
  getSelectedStorageBackend?(): string
}

export interface SafeStorageStoreOptions {
  file: string
  safeStorage: SafeStorageLike
  /**
   * Accept Linux's `basic_text` backend (a hard-coded key: obfuscation, not encryption). Off by
   * default: without a keyring the user is told to install one or use the passphrase file.
   */
  allowBasicText?: boolean
}

const FORMAT = 'candlework-safestorage' as const

interface StoredFile {
  format: typeof FORMAT
  version: 1
  /** ref -> base64 of `safeStorage.encryptString(value)`. */
  entries: Record<string, string>
}

/**
 * Secrets encrypted by the OS (Keychain on macOS, DPAPI on Windows, the Secret Service or KWallet
 * on Linux) through Electron's safeStorage, kept in one JSON file written atomically with mode 0600.
 * Refuses to store anything when the OS cannot encrypt, rather than writing it in the clear.
 */
export function createSafeStorageStore(options: SafeStorageStoreOptions): SecretStore {
  const { file, safeStorage } = options
  const queue = serialised()

  function ensureAvailable(): void {
    if (!safeStorage.isEncryptionAvailable()) {
      throw new AppError(
        'unavailable',
        'The operating system offers no encryption for stored secrets (no keychain or keyring is available), so API keys cannot be saved.',
      )
    }
    const backend = safeStorage.getSelectedStorageBackend?.()
    if (backend === 'basic_text' && !options.allowBasicText) {
      throw new AppError(
        'unavailable',
        'No keyring was found (Electron would fall back to a fixed, public key), so API keys are not saved. Install gnome-keyring or KWallet, or run the headless host with a passphrase file.',
      )
    }
  }

  function read(): StoredFile {
    if (!existsSync(file)) return { format: FORMAT, version: 1, entries: {} }
    let parsed: Partial<StoredFile> | null
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<StoredFile> | null
    } catch {
      parsed = null
    }
    if (
      !parsed ||
      parsed.format !== FORMAT ||
      parsed.version !== 1 ||
      typeof parsed.entries !== 'object' ||
      !parsed.entries
    ) {
      throw new AppError('auth_failed', `The secrets file ${file} is damaged and was not used.`)
    }
    return parsed as StoredFile
  }

  function decrypt(ref: string, b64: string): string {
    try {
      const value = safeStorage.decryptString(Buffer.from(b64, 'base64'))
      registerSecret(value)
      return value
    } catch {
      throw new AppError(
        'auth_failed',
        `The stored secret "${ref}" could not be decrypted (the OS keychain entry changed, or the file was altered). Enter it again.`,
      )
    }
  }

  return {
    get: (ref) =>
      queue(async () => {
        const { entries } = read()
        const b64 = Object.hasOwn(entries, ref) ? entries[ref] : undefined
        if (typeof b64 !== 'string') return null
        ensureAvailable()
        return decrypt(ref, b64)
      }),
    set: (ref, value) =>
      queue(async () => {
        registerSecret(value)
        ensureAvailable()
        const f = read()
        f.entries[ref] = safeStorage.encryptString(value).toString('base64')
        writeFileAtomic(file, JSON.stringify(f, null, 2) + '\n', 0o600)
      }),
    delete: (ref) =>
      queue(async () => {
        const f = read()
        if (!Object.hasOwn(f.entries, ref)) return false
        delete f.entries[ref]
        writeFileAtomic(file, JSON.stringify(f, null, 2) + '\n', 0o600)
        return true
      }),
    list: () => queue(async () => Object.keys(read().entries).sort()),
  }
}
