/**
 * Where API keys and other secrets live, encrypted at rest. `ref` names a secret (`exchange:binance`);
 * values are opaque strings. Adapters: `safe-storage.ts` (the desktop app, the OS keychain through
 * Electron's safeStorage) and `passphrase-file.ts` (the headless host).
 */
export interface SecretStore {
  /** The secret, or null when there is none by that name. */
  get(ref: string): Promise<string | null>
  set(ref: string, value: string): Promise<void>
  /** True when there was something to delete. */
  delete(ref: string): Promise<boolean>
  /** Names of the stored secrets (never their values). */
  list(): Promise<string[]>
}

/** A store in memory, for tests and for hosts that must not persist keys. */
export function memorySecretStore(): SecretStore {
  const values = new Map<string, string>()
  return {
    get: async (ref) => values.get(ref) ?? null,
    set: async (ref, value) => {
      values.set(ref, value)
    },
    delete: async (ref) => values.delete(ref),
    list: async () => [...values.keys()].sort(),
  }
}

/** Runs async operations one at a time, in call order (read-modify-write of one file). */
export function serialised(): <T>(op: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve()
  return <T>(op: () => Promise<T>) => {
    const run = tail.then(op, op)
    tail = run.catch(() => undefined)
    return run
  }
}
