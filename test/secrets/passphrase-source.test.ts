import { spawn } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { PassThrough, Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { AppError } from '../../src/shared/contract/errors'
import { createPassphraseFileStore } from '../../src/main/secrets/passphrase-file'
import {
  headlessPassphrase,
  readPassphraseFile,
  type Terminal,
} from '../../src/main/secrets/passphrase-source'
import { useTempDirs } from '../support/temp-dir'

const newDir = useTempDirs()
const FAST = { N: 2 ** 14, r: 8, p: 1 }
const ASK = { file: 'x', creating: false }
const posix = process.platform !== 'win32'

async function failure(p: Promise<unknown> | (() => unknown)): Promise<AppError> {
  try {
    await (typeof p === 'function' ? Promise.resolve().then(p) : p)
  } catch (e) {
    if (e instanceof AppError) return e
    throw e
  }
  throw new Error('expected a failure')
}

function fileWith(content: string, mode: number): string {
  const f = join(newDir(), 'passphrase')
  writeFileSync(f, content, { mode })
  chmodSync(f, mode)
  return f
}

/**
 * A terminal stand-in: a TTY-like input that records raw-mode switches, and an output that
 * records what the trader would see. Each question (output ending in ": ") gets the next of
 * `answers`, typed as the trader would, ending with Enter; `\x03` is Ctrl-C, null closes the input.
 */
function fakeTerminal(answers: Array<string | null>, tty = true) {
  const input = new PassThrough() as PassThrough & { isTTY: boolean; setRawMode(m: boolean): void }
  input.isTTY = tty
  const rawModes: boolean[] = []
  input.setRawMode = (m) => void rawModes.push(m)
  let shown = ''
  const output = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      shown += String(chunk)
      if (shown.endsWith(': ') && answers.length > 0) {
        const next = answers.shift()!
        setImmediate(() => (next === null ? input.end() : input.write(next === '\x03' ? next : `${next}\r`)))
      }
      done()
    },
  })
  const term: Terminal = { input, output }
  return {
    term,
    rawModes,
    get shown() {
      return shown
    },
  }
}

describe('--passphrase-file', () => {
  it('reads a 0600 file of its owner, without the final newline', () => {
    expect(readPassphraseFile(fileWith('correct horse\n', 0o600))).toBe('correct horse')
    expect(readPassphraseFile(fileWith('pw-crlf\r\n', 0o400))).toBe('pw-crlf')
  })

  it.skipIf(!posix)(
    'refuses a file others may read or write, saying the chmod that fixes it (POSIX modes: skipped on Windows)',
    () => {
      for (const mode of [0o644, 0o640, 0o604, 0o620, 0o602]) {
        const f = fileWith('pw-123456', mode)
        let e: unknown
        try {
          readPassphraseFile(f)
        } catch (err) {
          e = err
        }
        expect(e, mode.toString(8)).toBeInstanceOf(AppError)
        expect((e as AppError).message).toContain(`mode 0${mode.toString(8)}`)
        expect((e as AppError).message).toContain(`run chmod 600 ${f}`)
      }
    },
  )

  it.skipIf(!posix)('refuses a file of another user (POSIX owners: skipped on Windows)', () => {
    const f = fileWith('pw-123456', 0o600)
    const other = statSync(f).uid + 1
    expect(() => readPassphraseFile(f, other)).toThrow(/belongs to another user/)
  })

  it('refuses what is not a one-line passphrase file', () => {
    const dir = newDir()
    mkdirSync(join(dir, 'd'), { mode: 0o700 })
    expect(() => readPassphraseFile(join(dir, 'd'))).toThrow(/not a regular file/)
    expect(() => readPassphraseFile(join(dir, 'missing'))).toThrow(/cannot be opened \(ENOENT\)/)
    expect(() => readPassphraseFile(fileWith('', 0o600))).toThrow(/is empty/)
    expect(() => readPassphraseFile(fileWith('one\ntwo\n', 0o600))).toThrow(/more than one line/)
  })

  it('is used before CANDLEWORK_PASSPHRASE and the terminal, which is then never asked', async () => {
    const t = fakeTerminal(['typed'])
    const source = await headlessPassphrase({
      secretsFile: join(newDir(), 'secrets.json'),
      passphraseFile: fileWith('from-file\n', 0o600),
      env: { CANDLEWORK_PASSPHRASE: 'from-env' },
      terminal: t.term,
    })
    expect(await source(ASK)).toBe('from-file')
    expect(t.shown).toBe('')
  })

  it.skipIf(!posix)(
    'a refused file stops the start with the fix (POSIX modes: skipped on Windows)',
    async () => {
      const f = fileWith('pw', 0o644)
      const e = await failure(
        headlessPassphrase({ secretsFile: join(newDir(), 's.json'), passphraseFile: f }),
      )
      expect(e.message).toMatch(/chmod 600/)
    },
  )
})

describe('the terminal prompt', () => {
  it('is not used when CANDLEWORK_PASSPHRASE is set, nor when stdin is not a terminal', async () => {
    const withEnv = fakeTerminal(['typed'])
    const a = await headlessPassphrase({
      secretsFile: join(newDir(), 's.json'),
      env: { CANDLEWORK_PASSPHRASE: 'from-env' },
      terminal: withEnv.term,
    })
    expect(await a(ASK)).toBe('from-env')
    expect(withEnv.shown).toBe('')

    const piped = fakeTerminal(['typed'], false)
    const b = await headlessPassphrase({
      secretsFile: join(newDir(), 's.json'),
      env: {},
      terminal: piped.term,
    })
    expect(piped.shown).toBe('')
    const e = await failure(() => b(ASK))
    expect(e.message).toMatch(/Restart it in a terminal to be asked for it/)
  })

  it('asks for a new passphrase twice, without echo, before the host starts', async () => {
    const t = fakeTerminal(['first-try-pass', 'mistyped-pass', 'chosen-pass-1', 'chosen-pass-1'])
    const file = join(newDir(), 'secrets.json')
    const source = await headlessPassphrase({ secretsFile: file, env: {}, terminal: t.term })
    expect(await source({ file, creating: true })).toBe('chosen-pass-1')
    expect(t.shown).toContain(`encrypted in ${file} with a passphrase you choose now`)
    expect(t.shown.match(/New passphrase: /g)).toHaveLength(2)
    expect(t.shown).toContain('They did not match, try again.')
    for (const typed of ['first-try-pass', 'mistyped-pass', 'chosen-pass-1'])
      expect(t.shown).not.toContain(typed)
    // Raw mode on while asking (the terminal's own echo off), and back off after.
    expect(t.rawModes[0]).toBe(true)
    expect(t.rawModes.at(-1)).toBe(false)
    // The store made with it creates the file and opens it again.
    const store = createPassphraseFileStore({ file, passphrase: source, scrypt: FAST })
    await store.set('exchange:binance', 'secret-value-1')
    expect(existsSync(file)).toBe(true)
    expect(await createPassphraseFileStore({ file, passphrase: source }).get('exchange:binance')).toBe(
      'secret-value-1',
    )
  })

  it('Enter alone skips it: the host starts, and storing keys says how to get one', async () => {
    const t = fakeTerminal([''])
    const source = await headlessPassphrase({
      secretsFile: join(newDir(), 's.json'),
      env: {},
      terminal: t.term,
    })
    const e = await failure(() => source(ASK))
    expect(e.kind).toBe('auth_failed')
    expect(e.message).toMatch(/restart it and choose one when asked, or start it with --passphrase-file/)
  })

  it('checks an existing file’s passphrase at once and asks again when it is wrong', async () => {
    const file = join(newDir(), 'secrets.json')
    await createPassphraseFileStore({ file, passphrase: () => 'right-pass-9', scrypt: FAST }).set(
      'k',
      'v-123456',
    )
    const t = fakeTerminal(['wrong-pass-1', 'right-pass-9'])
    const source = await headlessPassphrase({ secretsFile: file, env: {}, terminal: t.term })
    expect(t.shown).toContain(`Passphrase for the API keys in ${file}: `)
    expect(t.shown).toContain('Wrong passphrase, try again.')
    expect(t.shown).not.toContain('right-pass-9')
    expect(await createPassphraseFileStore({ file, passphrase: source }).get('k')).toBe('v-123456')

    const three = fakeTerminal(['bad-1', 'bad-2', 'bad-3'])
    const e = await failure(headlessPassphrase({ secretsFile: file, env: {}, terminal: three.term }))
    expect(e).toMatchObject({
      kind: 'auth_failed',
      message: expect.stringMatching(/Wrong passphrase .*3 tries/),
    })
  })

  it('Ctrl-C or a closed input stop the start instead of waiting forever', async () => {
    const file = join(newDir(), 's.json')
    const ctrlC = await failure(
      headlessPassphrase({ secretsFile: file, env: {}, terminal: fakeTerminal(['\x03']).term }),
    )
    expect(ctrlC.message).toMatch(/interrupted/)
    const closed = await failure(
      headlessPassphrase({ secretsFile: file, env: {}, terminal: fakeTerminal([null]).term }),
    )
    expect(closed.message).toMatch(/input closed/)
  })
})

/*
 * The same prompt on a real pseudo-terminal (util-linux `script`), where the terminal itself
 * would echo what is typed unless raw mode turns that off: the transcript holds everything the
 * terminal showed.
 */
const hasScript = posix && ['/usr/bin/script', '/bin/script'].some((p) => existsSync(p))
describe.skipIf(!hasScript)(
  'the terminal prompt on a pseudo-terminal (needs util-linux script: skipped without it)',
  () => {
    it('never shows the typed passphrase', async () => {
      const fixture = resolve(__dirname, 'fixtures/ask-passphrase.ts')
      const secrets = join(newDir(), 'secrets.json')
      const cmd = `${JSON.stringify(process.execPath)} --import tsx ${JSON.stringify(fixture)} ${JSON.stringify(secrets)}`
      const child = spawn('script', ['-q', '-e', '-c', cmd, '/dev/null'], {
        cwd: resolve(__dirname, '../..'),
        env: { ...process.env, CANDLEWORK_PASSPHRASE: '' },
        stdio: ['pipe', 'pipe', 'pipe'],
      })
      let transcript = ''
      let answered = 0
      const typed = 'pty-secret-pass-42'
      child.stdout.on('data', (d: Buffer) => {
        transcript += d.toString('utf8')
        const asked = (transcript.match(/(New passphrase|Repeat it): /g) ?? []).length
        if (asked > answered) {
          answered = asked
          child.stdin.write(`${typed}\r`)
        }
      })
      const code = await new Promise<number | null>((done) => child.on('close', done))
      expect(transcript).toContain('New passphrase: ')
      expect(transcript).toContain(`length ${typed.length}`)
      expect(transcript).not.toContain(typed)
      expect(code).toBe(0)
    }, 20_000)
  },
)
