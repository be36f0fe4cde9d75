import { AppError } from '../../shared/contract/errors'
import { registerSecret } from '../log'
import { maskKey } from '../secrets/mask'
import type { SecretStore } from '../secrets/store'

/** API credentials of one exchange. Some exchanges (OKX, KuCoin, ...) also want a password. */
export interface ExchangeKeys {
  apiKey: string
  secret: string
  password?: string | undefined
}

export const keyRef = (exchange: string): string => `exchange:${exchange}`

/** Registers every part of a key set for log and error redaction. */
export function protectKeys(keys: ExchangeKeys): void {
  registerSecret(keys.apiKey)
  registerSecret(keys.secret)
  if (keys.password) registerSecret(keys.password)
}

/** The masked id the UI shows for a key set. */
export const maskedKeyId = (keys: ExchangeKeys): string => maskKey(keys.apiKey)

export async function loadKeys(store: SecretStore, exchange: string): Promise<ExchangeKeys | null> {
  const raw = await store.get(keyRef(exchange))
  if (raw === null) return null
  let parsed: Partial<ExchangeKeys>
  try {
    parsed = JSON.parse(raw) as Partial<ExchangeKeys>
  } catch {
    throw new AppError('internal', `The stored API keys of ${exchange} are unreadable; enter them again.`)
  }
  if (typeof parsed.apiKey !== 'string' || typeof parsed.secret !== 'string') {
    throw new AppError('internal', `The stored API keys of ${exchange} are incomplete; enter them again.`)
  }
  const keys: ExchangeKeys = { apiKey: parsed.apiKey, secret: parsed.secret }
  if (typeof parsed.password === 'string') keys.password = parsed.password
  protectKeys(keys)
  return keys
}

export async function saveKeys(store: SecretStore, exchange: string, keys: ExchangeKeys): Promise<void> {
  protectKeys(keys)
  await store.set(keyRef(exchange), JSON.stringify(keys))
}

export async function deleteKeys(store: SecretStore, exchange: string): Promise<boolean> {
  return store.delete(keyRef(exchange))
}
