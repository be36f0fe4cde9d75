import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { describe, expect, it } from 'vitest'
import { memoryIo } from '../../src/main/cli/io'
import { logsCommand, makeLogsCommand, parseSince } from '../../src/main/cli/logs'
import { logFile } from '../../src/main/paths'
import { rotatedFile, shiftFiles } from '../../src/main/logging/rotation'
import { useTempDirs } from '../support/temp-dir'

const tempDir = useTempDirs()

const line = (time: string, level: string, msg: string, extra: Record<string, unknown> = {}): string =>
  `${JSON.stringify({ level, time, pid: 1, ...extra, msg })}\n`

/** A data folder whose log has two rotated files, the current one and a torn last line. */
function folderWithLog(): { dataDir: string; file: string } {
  const dataDir = tempDir()
  const file = logFile(dataDir)
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(rotatedFile(file, 2), line('2026-12-07T10:00:00.000Z', 'info', 'oldest'))
  writeFileSync(
    rotatedFile(file, 1),
    // A line of the version before JSON lines, then a JSON one.
    '2026-12-07T10:30:00.000Z WARN exchange binance: unavailable {"retryIn":5}\n' +
      line('2026-12-07T11:00:00.000Z', 'debug', 'detail of a fill', { domain: 'trading', qty: '0.5' }),
  )
  writeFileSync(
    file,
    line('2026-12-07T12:00:00.000Z', 'error', 'order rejected', {
      domain: 'trading',
      accountId: 'paper-1',
      err: { type: 'Error', message: 'no funds', stack: 'Error: no funds\n    at place (order.ts:1:1)' },
    }) + '{"level":"info","time":"2026-12-07T12:00:01.000Z","msg":"half wri',
  )
  return { dataDir, file }
}

describe('npm run cli -- logs', () => {
  it('prints every file of the log oldest first, readably, leaving out a torn last line', async () => {
    const { dataDir } = folderWithLog()
    const io = memoryIo()
    expect(await logsCommand(['--data-dir', dataDir], io)).toBe(0)
    expect(io.stdout).toEqual([
      '2026-12-07 10:00:00.000Z  INFO   -          oldest',
      '2026-12-07 10:30:00.000Z  WARN   -          exchange binance: unavailable {"retryIn":5}',
      '2026-12-07 11:00:00.000Z  DEBUG  trading    detail of a fill  qty=0.5',
      [
        '2026-12-07 12:00:00.000Z  ERROR  trading    order rejected  accountId=paper-1  err={"type":"Error","message":"no funds"}',
        '    Error: no funds',
        '        at place (order.ts:1:1)',
      ].join('\n'),
    ])
    expect(io.stderr.join('\n')).toMatch(/last line was still being written/)
  })

  it('filters by level and by time, and prints the JSON lines as they are with --json', async () => {
    const { dataDir } = folderWithLog()
    const warn = memoryIo()
    expect(await logsCommand(['--data-dir', dataDir, '--level', 'warn'], warn)).toBe(0)
    expect(warn.stdout.map((l) => l.slice(0, 31))).toEqual([
      '2026-12-07 10:30:00.000Z  WARN ',
      '2026-12-07 12:00:00.000Z  ERROR',
    ])

    const now = () => Date.parse('2026-12-07T12:30:00.000Z')
    const recent = memoryIo()
    expect(await makeLogsCommand({ now })(['--data-dir', dataDir, '--since', '1h', '--json'], recent)).toBe(0)
    expect(recent.stdout).toHaveLength(1)
    expect(JSON.parse(recent.stdout[0] ?? '')).toMatchObject({ level: 'error', msg: 'order rejected' })

    const since = memoryIo()
    expect(await logsCommand(['--data-dir', dataDir, '--since', '2026-12-07T10:45:00Z'], since)).toBe(0)
    expect(since.stdout).toHaveLength(2)
  })

  it('says which flag is wrong (exit 2) and when there is no log in the folder (exit 1)', async () => {
    const { dataDir } = folderWithLog()
    const level = memoryIo()
    expect(await logsCommand(['--data-dir', dataDir, '--level', 'loud'], level)).toBe(2)
    expect(level.stderr.join('')).toMatch(/--level must be one of debug, info, warn, error, got "loud"/)
    const since = memoryIo()
    expect(await logsCommand(['--data-dir', dataDir, '--since', 'yesterday'], since)).toBe(2)
    expect(since.stderr.join('')).toMatch(/--since must be a span like 30m/)
    const none = memoryIo()
    expect(await logsCommand(['--data-dir', tempDir()], none)).toBe(1)
    expect(none.stderr.join('')).toMatch(/there is no log at .*candlework\.log/)
    expect(parseSince('90s', 100_000)).toBe(10_000)
    expect(parseSince('2d', 2 * 86_400_000)).toBe(0)
  })

  it('--follow prints lines as they are written: a torn line once whole, and on across a rotation', async () => {
    const { dataDir, file } = folderWithLog()
    const io = memoryIo()
    const controller = new AbortController()
    const following = makeLogsCommand({ signal: controller.signal, followIntervalMs: 10 })(
      ['--data-dir', dataDir, '--follow', '--level', 'info'],
      io,
    )
    const printed = (text: string) => io.stdout.some((l) => l.includes(text))
    const until = async (text: string) => {
      for (let i = 0; i < 500 && !printed(text); i++) await new Promise((r) => setTimeout(r, 10))
      expect(printed(text), text).toBe(true)
    }
    await until('order rejected')
    appendFileSync(file, 'tten"}\n') // the torn line, completed
    await until('half written')
    appendFileSync(file, line('2026-12-07T12:00:02.000Z', 'warn', 'before the rotation'))
    shiftFiles(file, 2)
    appendFileSync(rotatedFile(file, 1), line('2026-12-07T12:00:03.000Z', 'info', 'the write in flight'))
    writeFileSync(file, line('2026-12-07T12:00:04.000Z', 'info', 'in the new file'))
    await until('in the new file')
    appendFileSync(file, line('2026-12-07T12:00:05.000Z', 'debug', 'below the level'))
    appendFileSync(file, line('2026-12-07T12:00:06.000Z', 'info', 'last'))
    await until('last')
    controller.abort()
    expect(await following).toBe(0)
    const messages = [
      'oldest',
      'exchange binance: unavailable {"retryIn":5}',
      'order rejected',
      'half written',
      'before the rotation',
      'the write in flight',
      'in the new file',
      'last',
    ]
    expect(io.stdout).toHaveLength(messages.length) // each once, 'below the level' left out
    messages.forEach((m, i) => expect(io.stdout[i]).toContain(m))
  })
})
