import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  randomBytes,
  scryptSync,
  timingSafeEqual,
  type CipherGCM,
  type DecipherGCM,
  type Hash,
} from 'node:crypto'
import { closeSync, fstatSync, fsyncSync, openSync, readSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { problem, BackupProblemError } from './problems'

/*
 * The backup file (`.cwbak`), format 1: a length-prefixed container of our own, documented in
 * docs/BACKUP.md. Smaller than tar for what it has to do (a few named parts, one optional cipher
 * around all of them, one checksum over everything) and needs no dependency.
 *
 *   header   "CWBACKUP" | u16 format (1) | u8 flags (1 = encrypted) | u8 0
 *            encrypted only: salt (16) | scrypt N, r, p (u32 each) | iv (12) | check (32)
 *   body     parts, one after another: u16 name length | name (UTF-8) | u64 length | bytes.
 *            Encrypted: the body is AES-256-GCM ciphertext (the header as associated data),
 *            followed by its 16-byte tag.
 *   trailer  "CWEND001" | u64 length of everything before the trailer | sha256 of it (32)
 *
 * The trailer is first written as "CWOPEN01": the file is verified in that state and only then
 * sealed (its first 8 bytes rewritten, flushed) and renamed, so a kill -9 while it is checked
 * leaves a file that no verification accepts.
 * Integers are big-endian. The manifest is the last part (it holds the other parts' sha256,
 * known only once they are written). The trailer is written last, so a file cut short anywhere
 * has no valid trailer; its sha256 catches a changed byte anywhere (header, cipher text, tag);
 * only then is a failing GCM tag a wrong passphrase rather than damage.
 */

const MAGIC = Buffer.from('CWBACKUP', 'ascii')
const END = Buffer.from('CWEND001', 'ascii')
/** The trailer's magic until the file is verified and sealed (`sealArchive`): never a valid backup. */
const UNSEALED = Buffer.from('CWOPEN01', 'ascii')
const FORMAT = 1
const FLAG_ENCRYPTED = 1
const PLAIN_HEADER = 12
const CRYPTO_HEADER = 16 + 12 + 12 + 32
const TAG = 16
const TRAILER = 8 + 8 + 32
const CHUNK = 4 * 1024 * 1024
const CHECK_LABEL = 'candlework backup passphrase check v1'
export const ARCHIVE_EXTENSION = '.cwbak'

/** scrypt cost: the secrets file's (N = 2^17, r = 8, p = 1); tests pass a cheaper one. */
export interface Kdf {
  N: number
  r: number
  p: number
}
export const DEFAULT_KDF: Kdf = { N: 2 ** 17, r: 8, p: 1 }
const MIN_N = 2 ** 10

function deriveKeys(passphrase: string, salt: Buffer, kdf: Kdf): { enc: Buffer; check: Buffer } {
  const key = scryptSync(passphrase.normalize('NFC'), salt, 64, {
    ...kdf,
    maxmem: 256 * kdf.N * kdf.r * kdf.p,
  })
  return {
    enc: key.subarray(0, 32),
    check: createHmac('sha256', key.subarray(32)).update(CHECK_LABEL).digest(),
  }
}

export interface PartInfo {
  name: string
  bytes: number
  sha256: string
}

const PART_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/

/** Writes a backup file part by part; nothing in it is valid until `finish` wrote its trailer. */
export class ArchiveWriter {
  private readonly fd: number
  private readonly fileHash = createHash('sha256')
  private readonly cipher: CipherGCM | null
  private written = 0

  constructor(file: string, opts: { passphrase?: string | undefined; kdf?: Kdf | undefined } = {}) {
    this.fd = openSync(file, 'wx', 0o600)
    const header = Buffer.alloc(PLAIN_HEADER)
    MAGIC.copy(header, 0)
    header.writeUInt16BE(FORMAT, 8)
    if (opts.passphrase === undefined) {
      this.cipher = null
      this.raw(header)
      return
    }
    if (opts.passphrase.length === 0) throw new Error('passphrase: empty')
    const kdf = opts.kdf ?? DEFAULT_KDF
    header.writeUInt8(FLAG_ENCRYPTED, 10)
    const salt = randomBytes(16)
    const iv = randomBytes(12)
    const keys = deriveKeys(opts.passphrase, salt, kdf)
    const crypto = Buffer.alloc(CRYPTO_HEADER)
    salt.copy(crypto, 0)
    crypto.writeUInt32BE(kdf.N, 16)
    crypto.writeUInt32BE(kdf.r, 20)
    crypto.writeUInt32BE(kdf.p, 24)
    iv.copy(crypto, 28)
    keys.check.copy(crypto, 40)
    const full = Buffer.concat([header, crypto])
    this.cipher = createCipheriv('aes-256-gcm', keys.enc, iv)
    this.cipher.setAAD(full)
    this.raw(full)
  }

  /** Adds a part from memory, in chunks; `onBytes` hears the bytes copied so far. */
  addBuffer(name: string, data: Buffer, onBytes?: (done: number, total: number) => void): PartInfo {
    this.partHeader(name, data.length)
    const hash = createHash('sha256')
    for (let done = 0; done < data.length;) {
      const chunk = data.subarray(done, Math.min(data.length, done + CHUNK))
      hash.update(chunk)
      this.body(chunk)
      done += chunk.length
      onBytes?.(done, data.length)
    }
    return { name, bytes: data.length, sha256: hash.digest('hex') }
  }

  /** Adds a part from a file, read in chunks; `onBytes` hears the bytes copied so far. */
  addFile(name: string, path: string, onBytes?: (done: number, total: number) => void): PartInfo {
    const fd = openSync(path, 'r')
    try {
      const size = fstatSync(fd).size
      this.partHeader(name, size)
      const hash = createHash('sha256')
      const buf = Buffer.allocUnsafe(CHUNK)
      let done = 0
      while (done < size) {
        const n = readSync(fd, buf, 0, Math.min(CHUNK, size - done), done)
        if (n === 0) throw new Error(`${path} shrank while it was copied`)
        const chunk = buf.subarray(0, n)
        hash.update(chunk)
        this.body(chunk)
        done += n
        onBytes?.(done, size)
      }
      return { name, bytes: size, sha256: hash.digest('hex') }
    } finally {
      closeSync(fd)
    }
  }

  /** Ends the body, writes the trailer and flushes the file to disk. */
  finish(): number {
    if (this.cipher) {
      this.raw(this.cipher.final())
      this.raw(this.cipher.getAuthTag())
    }
    const trailer = Buffer.alloc(TRAILER)
    UNSEALED.copy(trailer, 0)
    trailer.writeBigUInt64BE(BigInt(this.written), 8)
    this.fileHash.digest().copy(trailer, 16)
    writeSync(this.fd, trailer)
    fsyncSync(this.fd)
    closeSync(this.fd)
    return this.written + TRAILER
  }

  /** Closes the file after a failure (the caller deletes it). */
  abandon(): void {
    try {
      closeSync(this.fd)
    } catch {
      // already closed
    }
  }

  private partHeader(name: string, length: number): void {
    if (!PART_NAME.test(name)) throw new Error(`bad part name "${name}"`)
    const n = Buffer.from(name, 'utf8')
    const h = Buffer.alloc(2 + n.length + 8)
    h.writeUInt16BE(n.length, 0)
    n.copy(h, 2)
    h.writeBigUInt64BE(BigInt(length), 2 + n.length)
    this.body(h)
  }

  private body(data: Buffer): void {
    this.raw(this.cipher ? this.cipher.update(data) : data)
  }

  private raw(data: Buffer): void {
    if (data.length === 0) return
    let off = 0
    while (off < data.length) off += writeSync(this.fd, data, off, data.length - off)
    this.fileHash.update(data)
    this.written += data.length
  }
}

/** Marks a written and verified backup file as finished (see UNSEALED) and flushes it. */
export function sealArchive(file: string): void {
  const fd = openSync(file, 'r+')
  try {
    const size = fstatSync(fd).size
    const magic = Buffer.alloc(8)
    readSync(fd, magic, 0, 8, size - TRAILER)
    if (!magic.equals(UNSEALED)) throw new Error(`${file} is not an unsealed backup`)
    writeSync(fd, END, 0, 8, size - TRAILER)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

export interface UnpackedPart extends PartInfo {
  /** Where the part's bytes were written. */
  path: string
}

export interface Unpacked {
  encrypted: boolean
  parts: UnpackedPart[]
  /** Bytes of the backup file. */
  bytes: number
}

/**
 * Reads a backup file into `outDir`, one file per part, and checks the container: its trailer
 * (truncation), the sha256 over everything (a changed byte), the passphrase and the GCM tag.
 * Throws a BackupProblemError naming what is wrong; the parts in `outDir` are to be trusted only
 * when it returns. The manifest's own checks are the caller's (verify.ts).
 */
export function unpackArchive(
  file: string,
  outDir: string,
  passphrase?: string,
  onBytes?: (done: number, total: number) => void,
  /** Accept a file not sealed yet (the check before sealing, create-file.ts). */
  unsealed = false,
): Unpacked {
  const fd = openSync(file, 'r')
  try {
    const size = fstatSync(fd).size
    const head = Buffer.alloc(PLAIN_HEADER)
    if (readSync(fd, head, 0, PLAIN_HEADER, 0) < PLAIN_HEADER || !head.subarray(0, 8).equals(MAGIC)) {
      throw problem('not_backup', `${file} is not a Candlework backup (it does not start as one)`)
    }
    const trailer = Buffer.alloc(TRAILER)
    if (size < PLAIN_HEADER + TRAILER) throw truncated(file)
    readSync(fd, trailer, 0, TRAILER, size - TRAILER)
    const magic = trailer.subarray(0, 8)
    if (
      !(magic.equals(END) || (unsealed && magic.equals(UNSEALED))) ||
      trailer.readBigUInt64BE(8) !== BigInt(size - TRAILER)
    ) {
      throw truncated(file)
    }
    const expectedHash = trailer.subarray(16)
    const fileHash = createHash('sha256')
    const hashOnly = (from: number): void => hashRange(fd, fileHash, from, size - TRAILER)
    const damagedUnless = (hashed: Hash, what: () => BackupProblemError): BackupProblemError =>
      hashed.digest().equals(expectedHash) ? what() : damaged(file)

    const flags = head.readUInt8(10)
    if (head.readUInt16BE(8) !== FORMAT || (flags & ~FLAG_ENCRYPTED) !== 0) {
      hashOnly(0)
      throw damagedUnless(fileHash, () =>
        problem(
          'not_backup',
          `${file} is a backup format this Candlework does not know (format ${head.readUInt16BE(8)})`,
        ),
      )
    }
    const encrypted = (flags & FLAG_ENCRYPTED) !== 0
    let decipher: DecipherGCM | null = null
    let bodyStart = PLAIN_HEADER
    let bodyEnd = size - TRAILER
    if (encrypted) {
      const crypto = Buffer.alloc(CRYPTO_HEADER)
      readSync(fd, crypto, 0, CRYPTO_HEADER, PLAIN_HEADER)
      bodyStart += CRYPTO_HEADER
      bodyEnd -= TAG
      const kdf = { N: crypto.readUInt32BE(16), r: crypto.readUInt32BE(20), p: crypto.readUInt32BE(24) }
      const sane =
        kdf.N >= MIN_N &&
        kdf.N <= 2 ** 20 &&
        (kdf.N & (kdf.N - 1)) === 0 &&
        kdf.r >= 1 &&
        kdf.p >= 1 &&
        kdf.r * kdf.p <= 64
      if (!sane || bodyEnd < bodyStart) {
        hashOnly(0)
        throw damagedUnless(fileHash, () =>
          problem('not_backup', `${file} has encryption settings this Candlework does not know`),
        )
      }
      if (passphrase === undefined || passphrase.length === 0) {
        hashOnly(0)
        throw damagedUnless(fileHash, () =>
          problem('passphrase_needed', `${file} is encrypted: give the passphrase it was made with`),
        )
      }
      const keys = deriveKeys(passphrase, crypto.subarray(0, 16), kdf)
      const stored = crypto.subarray(40, 72)
      if (!timingSafeEqual(stored, keys.check)) {
        hashOnly(0)
        throw damagedUnless(fileHash, () =>
          problem('wrong_passphrase', `The passphrase is wrong for ${file} (the file itself is intact)`),
        )
      }
      decipher = createDecipheriv('aes-256-gcm', keys.enc, crypto.subarray(28, 40))
      decipher.setAAD(Buffer.concat([head, crypto]))
      fileHash.update(head).update(crypto)
    } else {
      fileHash.update(head)
    }

    const parser = new PartParser(outDir)
    let parseError: Error | null = null
    const feed = (plain: Buffer): void => {
      if (parseError || plain.length === 0) return
      try {
        parser.push(plain)
      } catch (err) {
        parseError = err as Error
      }
    }
    const buf = Buffer.allocUnsafe(CHUNK)
    for (let pos = bodyStart; pos < bodyEnd;) {
      const n = readSync(fd, buf, 0, Math.min(CHUNK, bodyEnd - pos), pos)
      if (n === 0) throw truncated(file)
      const chunk = buf.subarray(0, n)
      fileHash.update(chunk)
      feed(decipher ? decipher.update(chunk) : chunk)
      pos += n
      onBytes?.(pos, size)
    }
    let tagOk = true
    if (decipher) {
      const tag = Buffer.alloc(TAG)
      readSync(fd, tag, 0, TAG, bodyEnd)
      fileHash.update(tag)
      decipher.setAuthTag(tag)
      try {
        feed(decipher.final())
      } catch {
        tagOk = false
      }
    }
    parser.close()
    if (!fileHash.digest().equals(expectedHash)) throw damaged(file)
    if (!tagOk) {
      throw problem('damaged', `${file} failed its authentication (the encrypted contents were altered)`)
    }
    if (parseError) {
      throw problem('manifest_mismatch', `${file} is malformed inside: ${(parseError as Error).message}`)
    }
    if (!parser.atBoundary()) throw problem('manifest_mismatch', `${file} ends in the middle of a part`)
    return { encrypted, parts: parser.parts, bytes: size }
  } finally {
    closeSync(fd)
  }
}

function hashRange(fd: number, hash: Hash, from: number, to: number): void {
  const buf = Buffer.allocUnsafe(CHUNK)
  for (let pos = from; pos < to;) {
    const n = readSync(fd, buf, 0, Math.min(CHUNK, to - pos), pos)
    if (n === 0) break
    hash.update(buf.subarray(0, n))
    pos += n
  }
}

const truncated = (file: string): BackupProblemError =>
  problem('truncated', `${file} is truncated or incomplete (it does not end as a finished backup does)`)

const damaged = (file: string): BackupProblemError =>
  problem('damaged', `${file} is damaged: its checksum does not match (a byte was changed or lost)`)

/** Splits the plain body into part files as it arrives, whatever the chunk boundaries. */
class PartParser {
  readonly parts: UnpackedPart[] = []
  private pending = Buffer.alloc(0)
  private current: { info: UnpackedPart; fd: number; left: number; hash: Hash } | null = null

  constructor(private readonly outDir: string) {}

  push(data: Buffer): void {
    let d = data
    while (d.length > 0) {
      if (this.current) {
        const take = Math.min(this.current.left, d.length)
        const slice = d.subarray(0, take)
        writeAll(this.current.fd, slice)
        this.current.hash.update(slice)
        this.current.left -= take
        d = d.subarray(take)
        if (this.current.left === 0) this.endPart()
        continue
      }
      this.pending = Buffer.concat([this.pending, d])
      d = Buffer.alloc(0)
      if (this.pending.length < 2) return
      const nameLen = this.pending.readUInt16BE(0)
      if (nameLen === 0 || nameLen > 64) throw new Error(`a part name of ${nameLen} bytes`)
      if (this.pending.length < 2 + nameLen + 8) return
      const name = this.pending.subarray(2, 2 + nameLen).toString('utf8')
      if (!PART_NAME.test(name)) throw new Error('a part with a bad name')
      if (this.parts.some((p) => p.name === name)) throw new Error(`part "${name}" twice`)
      const length = this.pending.readBigUInt64BE(2 + nameLen)
      if (length > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`part "${name}" too long`)
      const path = join(this.outDir, name)
      const info = { name, bytes: Number(length), sha256: '', path }
      this.current = {
        info,
        fd: openSync(path, 'wx', 0o600),
        left: Number(length),
        hash: createHash('sha256'),
      }
      d = this.pending.subarray(2 + nameLen + 8)
      this.pending = Buffer.alloc(0)
      if (this.current.left === 0) this.endPart()
    }
  }

  atBoundary(): boolean {
    return this.current === null && this.pending.length === 0
  }

  close(): void {
    if (this.current) closeSync(this.current.fd)
    this.current = null
  }

  private endPart(): void {
    const c = this.current!
    closeSync(c.fd)
    c.info.sha256 = c.hash.digest('hex')
    this.parts.push(c.info)
    this.current = null
  }
}

function writeAll(fd: number, data: Buffer): void {
  let off = 0
  while (off < data.length) off += writeSync(fd, data, off, data.length - off)
}
