import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { AppError } from '../../src/shared/contract/errors'
import { maskKey } from '../../src/main/secrets/mask'
import { createPassphraseFileStore, DEFAULT_SCRYPT } from '../../src/main/secrets/passphrase-file'
import { passphraseFromEnv } from '../../src/main/secrets/passphrase-source'
import { createSafeStorageStore, type SafeStorageLike } from '../../src/main/secrets/safe-storage'
import { redact } from '../../src/main/log'
import { useTempDirs } from '../support/temp-dir'

const newDir = useTempDirs()
/** A lower scrypt cost keeps most tests quick; one test below uses the real default. */
const FAST = { N: 2 ** 14, r: 8, p: 1 }
const SECRET = 'sk_live_Zq8Yp3Lm0Xv5Tr7Wn2Bc9Hd4'

async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p
  } catch (e) {
    if (e instanceof AppError) return e
    throw e
  }
  throw new Error('expected a failure')
}

describe('passphrase file store', () => {
  it('round-trips secrets, encrypted at rest, in a 0600 file written atomically', async () => {
    const dir = newDir()
    const file = join(dir, 'secrets.json')
    const store = createPassphraseFileStore({
      file,
      passphrase: () => 'correct horse battery staple',
      scrypt: FAST,
    })
    expect(await store.list()).toEqual([])
    expect(await store.get('exchange:binance')).toBeNull()
    await store.set('exchange:binance', SECRET)
    await store.set('exchange:kraken', 'other-secret-value')
    expect(await store.get('exchange:binance')).toBe(SECRET)
    expect(await store.list()).toEqual(['exchange:binance', 'exchange:kraken'])
    const text = readFileSync(file, 'utf8')
    expect(text).not.toContain(SECRET)
    expect(text).not.toContain('exchange:binance') // names are encrypted too
    expect(JSON.parse(text)).toMatchObject({
      format: 'candlework-secrets',
      version: 1,
      cipher: 'aes-256-gcm',
      kdf: { name: 'scrypt', N: FAST.N },
    })
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(readdirSync(dir)).toEqual(['secrets.json']) // no temporary files left behind

    // A fresh store (a restart) reads it back with the passphrase.
    const again = createPassphraseFileStore({ file, passphrase: () => 'correct horse battery staple' })
    expect(await again.get('exchange:binance')).toBe(SECRET)
    expect(await again.delete('exchange:binance')).toBe(true)
    expect(await again.delete('exchange:binance')).toBe(false)
    expect(await again.list()).toEqual(['exchange:kraken'])
    // Every write uses a fresh nonce.
    const n1 = JSON.parse(readFileSync(file, 'utf8')).nonce
    await again.set('exchange:kraken', 'other-secret-value')
    expect(JSON.parse(readFileSync(file, 'utf8')).nonce).not.toBe(n1)
  })

  it('uses scrypt N = 2^17, r = 8, p = 1 by default', async () => {
    const file = join(newDir(), 'secrets.json')
    const store = createPassphraseFileStore({ file, passphrase: () => 'pass phrase' })
    await store.set('a', SECRET)
    expect(JSON.parse(readFileSync(file, 'utf8')).kdf).toMatchObject({ name: 'scrypt', ...DEFAULT_SCRYPT })
    expect(Buffer.from(JSON.parse(readFileSync(file, 'utf8')).kdf.salt, 'base64')).toHaveLength(16)
  })

  it('refuses a wrong passphrase with auth_failed and a clear message', async () => {
    const file = join(newDir(), 'secrets.json')
    await createPassphraseFileStore({ file, passphrase: () => 'right one', scrypt: FAST }).set('a', SECRET)
    const wrong = createPassphraseFileStore({ file, passphrase: () => 'wrong one' })
    const e = await failure(wrong.get('a'))
    expect(e.kind).toBe('auth_failed')
    expect(e.message).toMatch(/Wrong passphrase for the secrets file/)
    expect(e.message).not.toContain(SECRET)
    // It asks again next time (nothing cached after a failure).
    let asked = 0
    const retry = createPassphraseFileStore({
      file,
      passphrase: () => (++asked === 1 ? 'nope' : 'right one'),
    })
    await expect(retry.get('a')).rejects.toThrow(/Wrong passphrase/)
    expect(await retry.get('a')).toBe(SECRET)
  })

  it('detects tampering with the ciphertext, the tag, the nonce or the header', async () => {
    const file = join(newDir(), 'secrets.json')
    await createPassphraseFileStore({ file, passphrase: () => 'pw-123456', scrypt: FAST }).set(
      'exchange:binance',
      SECRET,
    )
    const original = readFileSync(file, 'utf8')
    const flip = (b64: string) => {
      const b = Buffer.from(b64, 'base64')
      const i = b.length >> 1
      b.writeUInt8(b.readUInt8(i) ^ 0x01, i)
      return b.toString('base64')
    }
    for (const field of ['data', 'tag', 'nonce'] as const) {
      const f = JSON.parse(original)
      f[field] = flip(f[field])
      writeFileSync(file, JSON.stringify(f))
      const e = await failure(
        createPassphraseFileStore({ file, passphrase: () => 'pw-123456' }).get('exchange:binance'),
      )
      expect(e.kind).toBe('auth_failed')
      expect(e.message).toMatch(/failed its integrity check .* altered or damaged/)
    }
    // The header is authenticated: changing the cost parameters or the salt is caught too.
    const f = JSON.parse(original)
    f.kdf.N = 2 ** 15
    writeFileSync(file, JSON.stringify(f))
    expect(
      (await failure(createPassphraseFileStore({ file, passphrase: () => 'pw-123456' }).get('x'))).kind,
    ).toBe('auth_failed')
    writeFileSync(file, 'not json at all')
    expect(
      (await failure(createPassphraseFileStore({ file, passphrase: () => 'pw-123456' }).get('x'))).message,
    ).toMatch(/integrity/)
    // Put back intact, it opens again.
    writeFileSync(file, original)
    expect(
      await createPassphraseFileStore({ file, passphrase: () => 'pw-123456' }).get('exchange:binance'),
    ).toBe(SECRET)
  })

  it('takes the passphrase from CANDLEWORK_PASSPHRASE, else says exactly how to give one', async () => {
    const ask = { file: 's.json', creating: false }
    expect(await passphraseFromEnv({ CANDLEWORK_PASSPHRASE: 'from-env' })(ask)).toBe('from-env')
    const e = await failure(Promise.resolve().then(() => passphraseFromEnv({})(ask)))
    expect(e.kind).toBe('auth_failed')
    // What to do, and no promise of a prompt that will not come.
    expect(e.message).toMatch(/Restart it in a terminal to be asked/)
    expect(e.message).toMatch(/--passphrase-file FILE/)
    expect(e.message).toMatch(/chmod 600 FILE/)
    expect(e.message).toMatch(/CANDLEWORK_PASSPHRASE also works but is the least safe/)
    // With no file yet and no passphrase, reading is simply empty (the host starts without asking).
    const store = createPassphraseFileStore({
      file: join(newDir(), 's.json'),
      passphrase: passphraseFromEnv({}),
    })
    expect(await store.list()).toEqual([])
    await expect(store.set('a', 'value-123')).rejects.toMatchObject({ kind: 'auth_failed' })
  })

  it('registers the passphrase and the values for log redaction', async () => {
    const file = join(newDir(), 'secrets.json')
    const pass = 'redact-me-passphrase'
    const value = 'redact-me-value-9f8e7d'
    await createPassphraseFileStore({ file, passphrase: () => pass, scrypt: FAST }).set('x', value)
    expect(redact(`${pass} and ${value}`)).toBe('[redacted] and [redacted]')
  })
})

/** A stand-in for Electron's safeStorage: AES-GCM under a key only it knows. */
function fakeSafeStorage(
  opts: { available?: boolean; backend?: string } = {},
): SafeStorageLike & { key: Buffer } {
  const key = randomBytes(32)
  return {
    key,
    isEncryptionAvailable: () => opts.available ?? true,
    getSelectedStorageBackend: () => opts.backend ?? 'gnome_libsecret',
    encryptString(plain) {
      const iv = randomBytes(12)
      const c = createCipheriv('aes-256-gcm', key, iv)
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()])
      return Buffer.concat([iv, c.getAuthTag(), body])
    },
    decryptString(buf) {
      const d = createDecipheriv('aes-256-gcm', key, buf.subarray(0, 12))
      d.setAuthTag(buf.subarray(12, 28))
      return Buffer.concat([d.update(buf.subarray(28)), d.final()]).toString('utf8')
    },
  }
}

describe('safeStorage store (with an injected safeStorage)', () => {
  it('round-trips through the OS encryption, never writing the value in the clear', async () => {
    const file = join(newDir(), 'secrets.json')
    const safe = fakeSafeStorage()
    const store = createSafeStorageStore({ file, safeStorage: safe })
    await store.set('exchange:binance', SECRET)
    expect(await store.get('exchange:binance')).toBe(SECRET)
    expect(await store.list()).toEqual(['exchange:binance'])
    expect(readFileSync(file, 'utf8')).not.toContain(SECRET)
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(await createSafeStorageStore({ file, safeStorage: safe }).get('exchange:binance')).toBe(SECRET)
    expect(await store.delete('exchange:binance')).toBe(true)
    expect(await store.get('exchange:binance')).toBeNull()
  })

  it('refuses to store anything when the OS cannot encrypt, or only has the basic_text fallback', async () => {
    const file = join(newDir(), 'secrets.json')
    const e = await failure(
      createSafeStorageStore({ file, safeStorage: fakeSafeStorage({ available: false }) }).set('a', SECRET),
    )
    expect(e).toMatchObject({ kind: 'unavailable', message: expect.stringMatching(/no encryption/) })
    const basic = createSafeStorageStore({ file, safeStorage: fakeSafeStorage({ backend: 'basic_text' }) })
    expect((await failure(basic.set('a', SECRET))).message).toMatch(/No keyring/)
    expect(existsSync(file)).toBe(false)
    await createSafeStorageStore({
      file,
      safeStorage: fakeSafeStorage({ backend: 'basic_text' }),
      allowBasicText: true,
    }).set('a', SECRET)
    expect(existsSync(file)).toBe(true)
  })

  it('reports a secret it cannot decrypt (another keychain, or altered) as auth_failed', async () => {
    const file = join(newDir(), 'secrets.json')
    await createSafeStorageStore({ file, safeStorage: fakeSafeStorage() }).set('exchange:binance', SECRET)
    const e = await failure(
      createSafeStorageStore({ file, safeStorage: fakeSafeStorage() }).get('exchange:binance'),
    )
    expect(e).toMatchObject({ kind: 'auth_failed', message: expect.stringMatching(/could not be decrypted/) })
  })
})

describe('masked key ids', () => {
  it('shows the first and last four characters of a long key, less of a short one', () => {
    expect(maskKey('abcdEFGHijklMNOPqrstwxyz')).toBe('abcd…wxyz')
    expect(maskKey('short123')).toBe('…23')
    expect(maskKey('abc')).toBe('…')
  })
})
