import { closeSync, constants, existsSync, fstatSync, openSync, readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { Writable } from 'node:stream'
import { AppError } from '../../shared/contract/errors'
import { registerSecret } from '../log'
import { passphraseOpens, type PassphraseSource } from './passphrase-file'

/**
 * Where the headless host gets the passphrase of its secrets file (the API keys), safest first:
 *
 * 1. `--passphrase-file F`: the first line of a file only its owner can read (mode 0600 or
 *    stricter, owned by the user running the host), checked at start.
 * 2. Asked on the terminal, without echo, when the host starts in one (stdin is a TTY) and
 *    CANDLEWORK_PASSPHRASE is not set: before the host serves anything, so nothing it prints can
 *    cut into the question. An existing file's passphrase is checked there and asked again if
 *    wrong; a new one is typed twice (Enter alone skips: no keys can be stored until a restart).
 * 3. CANDLEWORK_PASSPHRASE: the least safe. Other processes of the same user can read a process's
 *    environment (/proc/PID/environ), and every child process inherits it.
 *
 * Without any of these, storing or reading keys fails with `auth_failed` saying what to do.
 */

export const PASSPHRASE_ENV = 'CANDLEWORK_PASSPHRASE'

/** A file name as the trader would type it in a shell. */
function shellWord(path: string): string {
  return /^[\w./~+-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`
}

/** The refusal when the host has no way to get the passphrase: what to do, exactly. */
export function noPassphraseError(): AppError {
  return new AppError(
    'auth_failed',
    `API keys are kept encrypted with a passphrase, and this host was given none. Restart it in a terminal to be asked for it (npm run serve), or with --passphrase-file FILE naming a file that holds only the passphrase (chmod 600 FILE). ${PASSPHRASE_ENV} also works but is the least safe: other programs running as you can read it.`,
  )
}

/** The passphrase from CANDLEWORK_PASSPHRASE, read when first needed; else `noPassphraseError`. */
export function passphraseFromEnv(env: Record<string, string | undefined> = process.env): PassphraseSource {
  return () => {
    const value = env[PASSPHRASE_ENV]
    if (value !== undefined && value !== '') return value
    throw noPassphraseError()
  }
}

/** The largest passphrase file read; anything bigger is not a passphrase. */
const MAX_FILE_BYTES = 4096

/**
 * Reads the passphrase from `path`: refused unless it is a regular file owned by this user that
 * no one else may read or write (mode 0600 or stricter), with the command that fixes it. Its
 * content is the passphrase, a final newline dropped; more than one line is refused. (Windows has
 * no such modes; there the file is read as it is.)
 */
export function readPassphraseFile(path: string, uid: number | undefined = process.getuid?.()): string {
  const word = shellWord(path)
  let fd: number
  try {
    // Non-blocking: a FIFO in its place must not hang the start.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0))
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error'
    throw new AppError('validation', `The passphrase file ${path} cannot be opened (${code}).`)
  }
  try {
    const st = fstatSync(fd)
    if (!st.isFile()) throw new AppError('validation', `The passphrase file ${path} is not a regular file.`)
    if (uid !== undefined && process.platform !== 'win32') {
      if (st.uid !== uid) {
        throw new AppError(
          'validation',
          `The passphrase file ${path} belongs to another user (uid ${st.uid}; this host runs as ${uid}): use a file of your own, readable only by you (chmod 600 ${word}).`,
        )
      }
      if ((st.mode & 0o077) !== 0) {
        const mode = (st.mode & 0o777).toString(8).padStart(4, '0')
        throw new AppError(
          'validation',
          `The passphrase file ${path} can be read or changed by other users (mode ${mode}); it is used only when it is yours alone: run chmod 600 ${word}`,
        )
      }
    }
    if (st.size > MAX_FILE_BYTES) {
      throw new AppError('validation', `The passphrase file ${path} holds more than a passphrase.`)
    }
    const text = readFileSync(fd, 'utf8').replace(/\r?\n$/, '')
    if (/[\r\n]/.test(text)) {
      throw new AppError(
        'validation',
        `The passphrase file ${path} holds more than one line: put only the passphrase in it.`,
      )
    }
    if (text === '') throw new AppError('validation', `The passphrase file ${path} is empty.`)
    registerSecret(text)
    return text
  } finally {
    closeSync(fd)
  }
}

/** A terminal to ask on: its input (a TTY when asking makes sense) and where questions go. */
export interface Terminal {
  input: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown }
  output: NodeJS.WritableStream
}

/**
 * Asks `question` on the terminal and reads one line without echoing it: readline in raw mode
 * writes what it echoes to a stream muted for the answer. Ctrl-C or closed input refuse
 * (`auth_failed`) rather than leave the question hanging.
 */
export function askHidden(term: Terminal, question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let muted = false
    const echo = new Writable({
      write(chunk: Buffer | string, _enc, done) {
        if (!muted) term.output.write(chunk)
        done()
      },
    })
    const rl = createInterface({ input: term.input, output: echo, terminal: true, historySize: 0 })
    let settled = false
    const finish = (fn: () => void) => {
      if (settled) return
      settled = true
      muted = false
      term.output.write('\n')
      rl.close()
      fn()
    }
    rl.on('SIGINT', () =>
      finish(() => reject(new AppError('auth_failed', 'The passphrase question was interrupted.'))),
    )
    rl.on('close', () =>
      finish(() => reject(new AppError('auth_failed', 'No passphrase was entered (the input closed).'))),
    )
    term.output.write(question)
    muted = true
    rl.question('', (answer) => finish(() => resolve(answer)))
  })
}

export interface HeadlessPassphraseOptions {
  /** The secrets file the passphrase opens (or will create). */
  secretsFile: string
  /** `--passphrase-file`, when given. */
  passphraseFile?: string | undefined
  env?: Record<string, string | undefined>
  /** Asked on only when its input is a TTY; the process's stdin and stderr by default. */
  terminal?: Terminal
  /** Tries for an existing file's passphrase before giving up (3). */
  attempts?: number
}

/**
 * Chooses the headless host's passphrase source at start (see the top of this file) and, for
 * the terminal, asks there and then. Rejects with a message for the trader when a
 * `--passphrase-file` is refused or the terminal's answers run out.
 */
export async function headlessPassphrase(opts: HeadlessPassphraseOptions): Promise<PassphraseSource> {
  const env = opts.env ?? process.env
  if (opts.passphraseFile !== undefined) {
    const pass = readPassphraseFile(opts.passphraseFile)
    return () => pass
  }
  const fromEnv = env[PASSPHRASE_ENV]
  if (fromEnv !== undefined && fromEnv !== '') return passphraseFromEnv(env)
  const term: Terminal = opts.terminal ?? { input: process.stdin, output: process.stderr }
  if (term.input.isTTY !== true) return passphraseFromEnv(env)
  const pass = existsSync(opts.secretsFile)
    ? await askExisting(term, opts.secretsFile, opts.attempts ?? 3)
    : await askNew(term, opts.secretsFile, opts.attempts ?? 3)
  if (pass === null) {
    return () => {
      throw new AppError(
        'auth_failed',
        'No passphrase was chosen when this host started, so API keys cannot be stored: restart it and choose one when asked, or start it with --passphrase-file FILE (chmod 600 FILE).',
      )
    }
  }
  registerSecret(pass)
  return () => pass
}

async function askExisting(term: Terminal, file: string, attempts: number): Promise<string> {
  for (let i = 1; ; i++) {
    const pass = await askHidden(term, `Passphrase for the API keys in ${file}: `)
    if (pass !== '' && (await passphraseOpens(file, pass))) return pass
    if (i >= attempts) {
      throw new AppError(
        'auth_failed',
        `Wrong passphrase for ${file} (${attempts} tries). Start again, or delete that file and enter the API keys again.`,
      )
    }
    term.output.write('Wrong passphrase, try again.\n')
  }
}

/** A new passphrase, typed twice; null when the trader skips it with Enter alone. */
async function askNew(term: Terminal, file: string, attempts: number): Promise<string | null> {
  term.output.write(
    `API keys you add will be encrypted in ${file} with a passphrase you choose now (Enter alone to skip: no keys can be stored until you restart and choose one).\n`,
  )
  for (let i = 1; ; i++) {
    const pass = await askHidden(term, 'New passphrase: ')
    if (pass === '') return null
    if ((await askHidden(term, 'Repeat it: ')) === pass) return pass
    if (i >= attempts) throw new AppError('auth_failed', `The passphrases did not match (${attempts} tries).`)
    term.output.write('They did not match, try again.\n')
  }
}
