import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  randomBytes,
  scrypt,
  timingSafeEqual,
} from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { AppError } from '../../shared/contract/errors'
import { registerSecret } from '../log'
import { writeFileAtomic } from './atomic-file'
import { serialised, type SecretStore } from './store'

/**
 * Gives the passphrase of the secrets file, when it is first needed (passphrase-source.ts has the
 * headless host's: a terminal prompt at start, a 0600 file, or the environment). `creating` says
 * the file does not exist yet, so the passphrase is being chosen rather than checked.
 */
export type PassphraseSource = (ask: { file: string; creating: boolean }) => string | Promise<string>

const FORMAT = 'candlework-secrets' as const
const VERSION = 1
/** scrypt cost, OWASP's recommendation (N = 2^17, r = 8, p = 1: 128 MiB, a fraction of a second). */
export const DEFAULT_SCRYPT = { N: 2 ** 17, r: 8, p: 1 } as const
const MIN_SCRYPT_N = 2 ** 14
const CHECK_LABEL = 'candlework passphrase check v1'

interface KdfParams {
  name: 'scrypt'
  N: number
  r: number
  p: number
  salt: string
}

/** The file on disk. Everything outside `data` is authenticated as associated data. */
interface SecretsFile {
  format: typeof FORMAT
  version: number
  kdf: KdfParams
  cipher: 'aes-256-gcm'
  /** HMAC of a fixed label under a second derived key: tells a wrong passphrase from a damaged file. */
  check: string
  nonce: string
  tag: string
  data: string
}

interface Unlocked {
  kdf: KdfParams
  encKey: Buffer
  checkKey: Buffer
  values: Map<string, string>
}

function deriveKeys(passphrase: string, kdf: KdfParams): Promise<{ encKey: Buffer; checkKey: Buffer }> {
  return new Promise((resolve, reject) => {
    const maxmem = 256 * kdf.N * kdf.r * kdf.p
    scrypt(
      passphrase.normalize('NFC'),
      Buffer.from(kdf.salt, 'base64'),
      64,
      { N: kdf.N, r: kdf.r, p: kdf.p, maxmem },
      (err, key) => {
        if (err) reject(err)
        else resolve({ encKey: key.subarray(0, 32), checkKey: key.subarray(32, 64) })
      },
    )
  })
}

function checkValue(checkKey: Buffer): Buffer {
  return createHmac('sha256', checkKey).update(CHECK_LABEL).digest()
}

function associatedData(f: Pick<SecretsFile, 'format' | 'version' | 'kdf' | 'cipher' | 'check'>): Buffer {
  return Buffer.from(
    JSON.stringify([
      f.format,
      f.version,
      f.kdf.name,
      f.kdf.N,
      f.kdf.r,
      f.kdf.p,
      f.kdf.salt,
      f.cipher,
      f.check,
    ]),
    'utf8',
  )
}

function damaged(file: string, why: string): AppError {
  return new AppError(
    'auth_failed',
    `The secrets file ${file} failed its integrity check (${why}): it was altered or damaged, and Candlework will not use it. Restore it from a backup, or delete it and enter the API keys again.`,
  )
}

function parseFile(file: string, text: string): SecretsFile {
  let f: unknown
  try {
    f = JSON.parse(text)
  } catch {
    throw damaged(file, 'not valid JSON')
  }
  const o = f as Partial<SecretsFile> | null
  const kdf = o?.kdf
  if (
    !o ||
    o.format !== FORMAT ||
    o.version !== VERSION ||
    o.cipher !== 'aes-256-gcm' ||
    !kdf ||
    kdf.name !== 'scrypt' ||
    !Number.isInteger(kdf.N) ||
    kdf.N < MIN_SCRYPT_N ||
    (kdf.N & (kdf.N - 1)) !== 0 ||
    !Number.isInteger(kdf.r) ||
    !Number.isInteger(kdf.p) ||
    kdf.r < 1 ||
    kdf.p < 1 ||
    kdf.r * kdf.p > 64 ||
    typeof kdf.salt !== 'string' ||
    typeof o.check !== 'string' ||
    typeof o.nonce !== 'string' ||
    typeof o.tag !== 'string' ||
    typeof o.data !== 'string'
  ) {
    throw damaged(file, 'unknown format or parameters')
  }
  return o as SecretsFile
}

function matchesCheck(f: SecretsFile, checkKey: Buffer): boolean {
  const expected = checkValue(checkKey)
  const stored = Buffer.from(f.check, 'base64')
  return stored.length === expected.length && timingSafeEqual(stored, expected)
}

/**
 * Whether `passphrase` opens the existing secrets file `file` (its check value, without decrypting
 * anything), so a host can ask again at start rather than fail later. A damaged file throws, as
 * the store would.
 */
export async function passphraseOpens(file: string, passphrase: string): Promise<boolean> {
  const f = parseFile(file, readFileSync(file, 'utf8'))
  return matchesCheck(f, (await deriveKeys(passphrase, f.kdf)).checkKey)
}

export interface PassphraseFileOptions {
  file: string
  passphrase: PassphraseSource
  /** scrypt cost for a new file (tests may lower it; an existing file keeps what its header says). */
  scrypt?: { N: number; r: number; p: number }
}

/**
 * Secrets in one file encrypted with a key derived from a passphrase, for the headless host:
 *
 * - scrypt (N = 2^17, r = 8, p = 1, random 16-byte salt per file) derives 64 bytes: an AES-256-GCM
 *   key and a check key. AES-256-GCM with a random 12-byte nonce per write encrypts the whole map
 *   (names included); the header (format, KDF parameters, salt, check) is authenticated too.
 * - A wrong passphrase is told apart from a damaged or altered file by the check value, so the
 *   messages can say which; both are `auth_failed`, and nothing is decrypted in either case.
 * - Written atomically with mode 0600. The passphrase is asked for once, on first use, and the derived
 *   key kept in memory; it is registered for log redaction, as is every value read or written.
 */
export function createPassphraseFileStore(options: PassphraseFileOptions): SecretStore {
  const { file } = options
  const queue = serialised()
  let unlocked: Unlocked | undefined

  async function askPassphrase(creating: boolean): Promise<string> {
    const pass = await options.passphrase({ file, creating })
    if (pass.length === 0) throw new AppError('auth_failed', 'The passphrase for the secrets file is empty.')
    registerSecret(pass)
    return pass
  }

  async function unlock(): Promise<Unlocked> {
    if (unlocked) return unlocked
    if (!existsSync(file)) {
      const pass = await askPassphrase(true)
      const cost = options.scrypt ?? DEFAULT_SCRYPT
      const kdf: KdfParams = { name: 'scrypt', ...cost, salt: randomBytes(16).toString('base64') }
      const keys = await deriveKeys(pass, kdf)
      unlocked = { kdf, ...keys, values: new Map() }
      return unlocked
    }
    const f = parseFile(file, readFileSync(file, 'utf8'))
    const pass = await askPassphrase(false)
    const keys = await deriveKeys(pass, f.kdf)
    if (!matchesCheck(f, keys.checkKey)) {
      throw new AppError('auth_failed', `Wrong passphrase for the secrets file ${file}.`)
    }
    let plain: string
    try {
      const decipher = createDecipheriv('aes-256-gcm', keys.encKey, Buffer.from(f.nonce, 'base64'))
      decipher.setAAD(associatedData(f))
      decipher.setAuthTag(Buffer.from(f.tag, 'base64'))
      plain = Buffer.concat([decipher.update(Buffer.from(f.data, 'base64')), decipher.final()]).toString(
        'utf8',
      )
    } catch {
      throw damaged(file, 'authentication tag mismatch')
    }
    const values = new Map<string, string>()
    const entries = JSON.parse(plain) as Record<string, string>
    for (const [ref, value] of Object.entries(entries)) {
      registerSecret(value)
      values.set(ref, value)
    }
    unlocked = { kdf: f.kdf, ...keys, values }
    return unlocked
  }

  function persist(u: Unlocked): void {
    const nonce = randomBytes(12)
    const check = checkValue(u.checkKey).toString('base64')
    const header = { format: FORMAT, version: VERSION, kdf: u.kdf, cipher: 'aes-256-gcm' as const, check }
    const cipher = createCipheriv('aes-256-gcm', u.encKey, nonce)
    cipher.setAAD(associatedData(header))
    const data = Buffer.concat([
      cipher.update(JSON.stringify(Object.fromEntries(u.values)), 'utf8'),
      cipher.final(),
    ])
    const out: SecretsFile = {
      ...header,
      nonce: nonce.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      data: data.toString('base64'),
    }
    writeFileAtomic(file, JSON.stringify(out, null, 2) + '\n', 0o600)
  }

  return {
    get: (ref) =>
      queue(async () => {
        if (!unlocked && !existsSync(file)) return null
        return (await unlock()).values.get(ref) ?? null
      }),
    set: (ref, value) =>
      queue(async () => {
        registerSecret(value)
        const u = await unlock()
        const next = new Map(u.values).set(ref, value)
        persist({ ...u, values: next })
        u.values = next
      }),
    delete: (ref) =>
      queue(async () => {
        if (!unlocked && !existsSync(file)) return false
        const u = await unlock()
        if (!u.values.has(ref)) return false
        const next = new Map(u.values)
        next.delete(ref)
        persist({ ...u, values: next })
        u.values = next
        return true
      }),
    list: () =>
      queue(async () => {
        if (!unlocked && !existsSync(file)) return []
        return [...(await unlock()).values.keys()].sort()
      }),
  }
}
