/**
 * `kill-switch [--close-positions] [--yes] [--data-dir D] [--wait S]`: the kill switch from a
 * terminal. It asks the Candlework running on the data folder (desktop or headless) through a
 * request file (risk/kill-request.ts) and prints its report. When nothing answers within
 * `--wait` seconds no engine is running there, so the command runs one on the folder itself
 * (its keys need the passphrase, as the headless host's do) and keeps retrying cancels that
 * fail until they pass or it is stopped with Ctrl-C, saying so.
 *
 * Exit codes: 0 done, nothing outstanding; 1 failed; 2 usage errors or not confirmed;
 * 3 done, but orders remain open (the running app keeps retrying them).
 */
import { createInterface } from 'node:readline/promises'
import type { KillSwitchReport } from '../../shared/contract/risk'
import { resolveDataDir } from '../paths'
import { readKillReport, removeKillRequest, writeKillRequest } from '../risk/kill-request'
import { parseFlags, type CliCommand, type CliIo } from './io'

const USAGE = `Usage: npm run cli -- kill-switch [--close-positions] [--yes] [--data-dir D] [--wait S]

  Sets every account HALTED, cancels every open order (held and waiting ones too) and, with
  --close-positions, closes every position at market.

  --close-positions  also close every position at market
  --yes              do not ask for confirmation
  --data-dir D       data folder (default: CANDLEWORK_DATA_DIR or the app's folder)
  --wait S           seconds to wait for a running Candlework to answer (default 10)`

const OPTIONS = {
  'close-positions': { type: 'boolean', default: false },
  yes: { type: 'boolean', default: false },
  'data-dir': { type: 'string' },
  wait: { type: 'string', default: '10' },
  help: { type: 'boolean', short: 'h', default: false },
} as const

export const killSwitchCommand: CliCommand = async (argv, io) => {
  const flags = parseFlags('kill-switch', USAGE, argv, OPTIONS, io)
  if (!flags.ok) return flags.exit
  const waitS = Number(flags.values.wait)
  if (!Number.isFinite(waitS) || waitS <= 0 || waitS > 600) {
    io.err('kill-switch: --wait: seconds between 0 and 600')
    return 2
  }
  const closePositions = flags.values['close-positions']
  const dataDir = resolveDataDir(flags.values['data-dir'])
  if (!flags.values.yes && !(await confirm(closePositions))) {
    io.err('kill-switch: not confirmed; nothing was done')
    return 2
  }
  const request = writeKillRequest(dataDir, closePositions, Date.now())
  io.out(`Kill switch requested on ${dataDir}; waiting for the running Candlework…`)
  const deadline = Date.now() + waitS * 1000
  let report: KillSwitchReport | undefined
  while (Date.now() < deadline) {
    await sleep(200)
    report = readKillReport(dataDir, request.id)
    if (report && report.summary !== 'Canceling every open order…') break
  }
  if (report) {
    // Answered by the running app: wait a little more for a run that is still working its first pass.
    print(io, report)
    return report.outstanding.length > 0 ? 3 : 0
  }
  removeKillRequest(dataDir, request.id)
  io.out(`No Candlework answered in ${waitS} s: running the kill switch here on ${dataDir}.`)
  return runHere(dataDir, closePositions, io)
}

async function runHere(dataDir: string, closePositions: boolean, io: CliIo): Promise<number> {
  const { createEngine } = await import('../engine')
  const engine = createEngine({ dataDir, host: 'headless' })
  try {
    const res = await engine.registry.invoke(
      'risk.killSwitch',
      { confirm: true, closePositions },
      { transport: 'memory', peer: 'cli' },
    )
    if (!res.ok) {
      io.err(`kill-switch: ${res.error.message}`)
      return 1
    }
    let report = res.value as KillSwitchReport
    print(io, report)
    while (report.running) {
      io.out('Retrying the cancels that failed (Ctrl-C stops; the accounts stay HALTED)…')
      await sleep(2_000)
      const again = await engine.registry.invoke(
        'risk.killSwitchStatus',
        {},
        { transport: 'memory', peer: 'cli' },
      )
      if (!again.ok || again.value === null) break
      report = again.value as KillSwitchReport
      if (!report.running) print(io, report)
    }
    return report.outstanding.length > 0 ? 3 : 0
  } finally {
    await engine.close()
  }
}

function print(io: CliIo, r: KillSwitchReport): void {
  io.out(r.summary)
  for (const o of r.outstanding)
    io.out(`  still open: ${o.accountId} ${o.symbol} ${o.clientOrderId}: ${o.error}`)
  for (const c of r.closed) io.out(`  closed: ${c.accountId} ${c.symbol} ${c.amount}`)
  for (const f of r.closeFailures) io.out(`  not closed: ${f.accountId} ${f.symbol}: ${f.error}`)
}

async function confirm(closePositions: boolean): Promise<boolean> {
  if (!process.stdin.isTTY) return false
  const rl = createInterface({ input: process.stdin, output: process.stdout })
  try {
    const what = closePositions
      ? 'halt all trading, cancel every order and CLOSE EVERY POSITION'
      : 'halt all trading and cancel every order'
    const answer = await rl.question(`This will ${what}. Type "yes" to go on: `)
    return answer.trim().toLowerCase() === 'yes'
  } finally {
    rl.close()
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
