import { sameApiUrl } from '../../shared/contract/api-url'
import { AppError } from '../../shared/contract/errors'
import { CREDENTIALS, pickCredentials, type Credentials } from '../../shared/domain/credentials'
import { registerSecret } from '../log'
import { maskKey } from '../secrets/mask'
import type { SecretStore } from '../secrets/store'
import type { ConnectionConfig } from './schema'

/**
 * API credentials of one exchange, by ccxt's names: most need an API key and a secret; OKX,
 * KuCoin and others a passphrase (`password`) too; some a `uid`; decentralised exchanges a private
 * key and a wallet address (`src/shared/domain/credentials.ts`). All of them are secrets here.
 */
export type ExchangeKeys = Credentials

/**
 * Where a connection sends its requests, besides the exchange id (part of the key's name): its API
 * URL override, or ccxt's sandbox (testnet) URLs, or the exchange's own. Keys are stored with the
 * address they were entered for and only ever used there.
 */
export interface KeysAddress {
  apiUrl: string | null
  sandbox: boolean
}

export const addressOf = (c: Pick<ConnectionConfig, 'apiUrl' | 'sandbox'>): KeysAddress => ({
  apiUrl: c.apiUrl,
  sandbox: c.sandbox,
})

/** Whether two addresses reach the same servers (`sameApiUrl`; sandbox matters only without an override). */
export function sameAddress(a: KeysAddress, b: KeysAddress): boolean {
  if (!sameApiUrl(a.apiUrl, b.apiUrl)) return false
  return a.apiUrl !== null || a.sandbox === b.sandbox
}

/** The address in words, for messages: the URL, `<id>'s sandbox` or `<id>'s own API`. */
export function describeAddress(exchange: string, a: KeysAddress): string {
  if (a.apiUrl !== null) return a.apiUrl
  return a.sandbox ? `${exchange}'s sandbox (testnet)` : `${exchange}'s own API`
}

export const keyRef = (exchange: string): string => `exchange:${exchange}`

/** Every value of a key set, for redaction. */
export function keyParts(keys: ExchangeKeys): string[] {
  return CREDENTIALS.map((c) => keys[c] ?? '').filter((v) => v.length > 0)
}

/** Registers every part of a key set for log and error redaction. */
export function protectKeys(keys: ExchangeKeys): void {
  for (const part of keyParts(keys)) registerSecret(part)
}

/**
 * The masked id the UI shows for a key set: of the API key, else of the first identifier there is
 * (a wallet address, an account or user id). A key set of a private key alone shows no part of it.
 */
export function maskedKeyId(keys: ExchangeKeys): string {
  const shown = keys.apiKey ?? keys.walletAddress ?? keys.accountId ?? keys.uid ?? keys.login
  return shown === undefined ? 'private key' : maskKey(shown)
}

/** What the secret store holds under `keyRef`: the keys and the address they were entered for. */
type StoredKeys = ExchangeKeys & {
  /** Absent in keys stored before addresses were recorded. */
  boundTo?: KeysAddress
}

/**
 * The keys stored for `exchange`, for use at `address`; null when none are stored. Keys entered for
 * another address are refused (`conflict`), whatever the connection's settings now say, so no path
 * that changes a connection (a command, a restored database, a hand-edited row) can send them
 * elsewhere. Keys stored before addresses were recorded are taken as entered for the address in
 * use now, and bound to it from then on.
 */
export async function loadKeys(
  store: SecretStore,
  exchange: string,
  address: KeysAddress,
): Promise<ExchangeKeys | null> {
  const raw = await store.get(keyRef(exchange))
  if (raw === null) return null
  let parsed: Partial<StoredKeys>
  try {
    parsed = JSON.parse(raw) as Partial<StoredKeys>
  } catch {
    throw new AppError('internal', `The stored API keys of ${exchange} are unreadable; enter them again.`)
  }
  const keys = pickCredentials(parsed as Record<string, unknown>)
  if (keyParts(keys).length === 0) {
    throw new AppError('internal', `The stored API keys of ${exchange} are incomplete; enter them again.`)
  }
  protectKeys(keys)
  const bound = parsed.boundTo
  if (bound !== undefined && !isAddress(bound)) {
    throw new AppError('internal', `The stored API keys of ${exchange} are unreadable; enter them again.`)
  }
  if (bound === undefined) {
    await saveKeys(store, exchange, keys, address)
    return keys
  }
  if (!sameAddress(bound, address)) {
    throw new AppError(
      'conflict',
      `The API keys stored for ${exchange} were entered for ${describeAddress(exchange, bound)}, and the connection now goes to ${describeAddress(exchange, address)}: they are not sent there. Enter keys for the new address.`,
    )
  }
  return keys
}

function isAddress(v: unknown): v is KeysAddress {
  if (typeof v !== 'object' || v === null) return false
  const a = v as Record<string, unknown>
  return (a['apiUrl'] === null || typeof a['apiUrl'] === 'string') && typeof a['sandbox'] === 'boolean'
}

export async function saveKeys(
  store: SecretStore,
  exchange: string,
  keys: ExchangeKeys,
  address: KeysAddress,
): Promise<void> {
  protectKeys(keys)
  const stored: StoredKeys = { ...keys, boundTo: address }
  await store.set(keyRef(exchange), JSON.stringify(stored))
}

export async function deleteKeys(store: SecretStore, exchange: string): Promise<boolean> {
  return store.delete(keyRef(exchange))
}
