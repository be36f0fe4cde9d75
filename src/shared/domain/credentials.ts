import { z } from 'zod'

/**
 * The API credentials an exchange can require, by ccxt's names for them (its
 * `requiredCredentials`): most want an API key and a secret; OKX, KuCoin, Bitget and Coinbase
 * Exchange also a passphrase (ccxt's `password`); CoinMate a user id (`uid`); NDAX a login too;
 * decentralised exchanges a private key and a wallet address instead. Every one of them is kept
 * in the engine's secret store and never sent back to a window.
 */
export const CREDENTIALS = [
  'apiKey',
  'secret',
  'password',
  'uid',
  'login',
  'accountId',
  'privateKey',
  'walletAddress',
] as const
export type Credential = (typeof CREDENTIALS)[number]
export const credentialSchema = z.enum(CREDENTIALS)

/** Longest value accepted for each credential (a 4 KiB secret covers PEM-encoded private keys). */
export const CREDENTIAL_MAX: Readonly<Record<Credential, number>> = {
  apiKey: 512,
  secret: 4096,
  password: 512,
  uid: 128,
  login: 256,
  accountId: 128,
  privateKey: 4096,
  walletAddress: 256,
}

/** The credentials of one exchange connection; only those the exchange uses are given. */
export type Credentials = Partial<Record<Credential, string>>

/** The credential fields of a command's params, each optional (which are needed depends on the exchange). */
export const credentialParams = {
  apiKey: z.string().min(1).max(CREDENTIAL_MAX.apiKey).optional(),
  secret: z.string().min(1).max(CREDENTIAL_MAX.secret).optional(),
  password: z.string().min(1).max(CREDENTIAL_MAX.password).optional(),
  uid: z.string().min(1).max(CREDENTIAL_MAX.uid).optional(),
  login: z.string().min(1).max(CREDENTIAL_MAX.login).optional(),
  accountId: z.string().min(1).max(CREDENTIAL_MAX.accountId).optional(),
  privateKey: z.string().min(1).max(CREDENTIAL_MAX.privateKey).optional(),
  walletAddress: z.string().min(1).max(CREDENTIAL_MAX.walletAddress).optional(),
} satisfies Record<Credential, z.ZodTypeAny>

/** The credentials among `values`, in the canonical order, without empty ones. */
export function pickCredentials(values: object): Credentials {
  const out: Credentials = {}
  for (const c of CREDENTIALS) {
    const v = (values as Partial<Record<string, unknown>>)[c]
    if (typeof v === 'string' && v !== '') out[c] = v
  }
  return out
}

/**
 * The name a trader knows a credential by. ccxt's `password` is what OKX, KuCoin, Bitget and
 * Coinbase call the API passphrase (chosen when the key was made); only an exchange that also
 * wants a login (NDAX) means the account's password.
 */
export function credentialLabel(c: Credential, required: readonly Credential[] = []): string {
  switch (c) {
    case 'apiKey':
      return 'API key'
    case 'secret':
      return 'Secret'
    case 'password':
      return required.includes('login') ? 'Password' : 'Passphrase'
    case 'uid':
      return 'User ID'
    case 'login':
      return 'Login'
    case 'accountId':
      return 'Account ID'
    case 'privateKey':
      return 'Private key'
    case 'walletAddress':
      return 'Wallet address'
  }
}

/** Credentials that are identifiers rather than secrets: their inputs need not be masked. */
export const PUBLIC_CREDENTIALS: ReadonlySet<Credential> = new Set([
  'uid',
  'login',
  'accountId',
  'walletAddress',
])

/** `API key, secret and passphrase`: a list of credentials in words, inside a sentence. */
export function credentialList(cs: readonly Credential[], required: readonly Credential[] = cs): string {
  const words = cs.map((c) => {
    const label = credentialLabel(c, required)
    // `API key` stays as it is; `User ID` becomes `user ID` inside a sentence.
    const acronym = label.length > 1 && label[1] === label[1]!.toUpperCase()
    return acronym ? label : label[0]!.toLowerCase() + label.slice(1)
  })
  if (words.length <= 1) return words.join('')
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`
}
