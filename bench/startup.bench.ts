import { spawn } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { databaseFile } from '../src/main/paths'
import { ACTIVE_STATUSES_SQL } from '../src/main/trading/schema'
import { percentile, report } from './harness'
import { seedPaperHistory } from './trading-seed'

/**
 * Start-up with a big book (issue 12, finding 8): the built host (out/main/serve.js) from process
 * start to /healthz answering, on a data folder holding 10,000 open paper orders and 100,000
 * fills, side by side in the same run with a fresh folder (the floor: start-up with nothing to
 * reconcile). What the indexes of migration 8 are worth is shown on the book the issue measured
 * (3,500 open orders, 8,000 fills: 2.5 s before), started with and without them (the three it
 * rebuilt or added put back as they were), and once on the big book without them (given up
 * after a minute). The big book starts twice each round: as its last clean close left it (the
 * usual start; the integrity check runs after start-up, storage/clean-close.ts) and as after a
 * crash (the check runs first).
 *
 * Besides the time to the first answer, each start reports the longest wait for one /healthz
 * answer in the 3 s after it (polled back to back): start-up reconciliation goes on after the
 * host answers, and must not hold its event loop for long.
 *
 * The books are written through the real order path (bench/trading-seed.ts) once per run.
 */
const BIG = { open: 10_000, fills: 100_000 }
const ISSUE = { open: 3_500, fills: 8_000 }
const RUNS = 5
const GIVE_UP_MS = 60_000

export async function run(): Promise<void> {
  const entry = 'out/main/serve.js'
  if (!existsSync(entry)) {
    report({
      name: 'host.start_to_healthz.big_book',
      value: NaN,
      unit: 'ms',
      skipped: 'run `npm run build` first',
    })
    return
  }
  const root = mkdtempSync(join(tmpdir(), 'cw-bench-startup-'))
  try {
    const big = join(root, 'big')
    const t0 = performance.now()
    await seedPaperHistory(big, BIG)
    const seedMs = performance.now() - t0
    const bigOld = copyWithOldIndexes(big, join(root, 'big-old'))
    const issue = join(root, 'issue')
    await seedPaperHistory(issue, ISSUE)
    const issueOld = copyWithOldIndexes(issue, join(root, 'issue-old'))

    const s = {
      fresh: [] as Start[],
      big: [] as Start[],
      bigCrashed: [] as Start[],
      issue: [] as Start[],
      issueOld: [] as Start[],
    }
    // Interleaved, so a busy moment on a shared machine falls on all of them alike.
    for (let i = 0; i < RUNS; i++) {
      s.fresh.push(await startOnce(entry, null, root))
      s.big.push(await startOnce(entry, big, root))
      s.bigCrashed.push(await startOnce(entry, big, root, 'crashed'))
      s.issue.push(await startOnce(entry, issue, root))
      s.issueOld.push(await startOnce(entry, issueOld, root))
    }
    const bigOldOnce = await startOnce(entry, bigOld, root)

    const freshMs = median(s.fresh)
    report({ name: 'host.start_to_healthz.fresh', value: freshMs, unit: 'ms', ...spread(s.fresh) })
    report({
      name: 'host.start_to_healthz.big_book',
      value: median(s.big),
      unit: 'ms',
      ...spread(s.big),
      open_orders: BIG.open,
      fills: BIG.fills,
      fresh_ms: freshMs,
      goal: 500,
      seed_ms: Math.round(seedMs),
    })
    report({
      name: 'host.start_to_healthz.big_book_after_crash',
      value: median(s.bigCrashed),
      unit: 'ms',
      ...spread(s.bigCrashed),
      open_orders: BIG.open,
      fills: BIG.fills,
      fresh_ms: freshMs,
      note: 'no clean-close note: the integrity check runs before the host answers',
    })
    report({
      name: 'host.start_to_healthz.issue_book',
      value: median(s.issue),
      unit: 'ms',
      ...spread(s.issue),
      open_orders: ISSUE.open,
      fills: ISSUE.fills,
      fresh_ms: freshMs,
    })
    report({
      name: 'host.start_to_healthz.issue_book_indexes_before_migration_8',
      value: median(s.issueOld),
      unit: 'ms',
      ...spread(s.issueOld),
      open_orders: ISSUE.open,
      fills: ISSUE.fills,
      fresh_ms: freshMs,
    })
    report({
      name: 'host.start_to_healthz.big_book_indexes_before_migration_8',
      value: Number.isNaN(bigOldOnce.toHealthz) ? NaN : Math.round(bigOldOnce.toHealthz),
      unit: 'ms',
      runs: 1,
      ...(Number.isNaN(bigOldOnce.toHealthz) ? { gave_up_after_ms: GIVE_UP_MS } : {}),
      open_orders: BIG.open,
      fills: BIG.fills,
    })
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
}

interface Start {
  /** From spawn to the first 200 from /healthz. */
  toHealthz: number
  /** CPU time the host had used by then (Linux; NaN elsewhere): less swayed by a busy machine. */
  cpu: number
  /** The longest wait for one /healthz answer in the 3 s after the first. */
  maxStall: number
}

function median(xs: Start[]): number {
  return Math.round(
    percentile(
      xs.map((x) => x.toHealthz).sort((a, b) => a - b),
      50,
    ),
  )
}

function spread(xs: Start[]): { max: number; cpu_ms: number; max_stall_ms: number; runs: number } {
  return {
    max: Math.round(Math.max(...xs.map((s) => s.toHealthz))),
    cpu_ms: Math.round(
      percentile(
        xs.map((x) => x.cpu).sort((a, b) => a - b),
        50,
      ),
    ),
    max_stall_ms: Math.round(Math.max(...xs.map((s) => s.maxStall))),
    runs: xs.length,
  }
}

/** A copy of a book with the three indexes migration 8 rebuilt or added put back as they were. */
function copyWithOldIndexes(from: string, to: string): string {
  cpSync(from, to, { recursive: true })
  // Written behind the engine's back: no clean-close note vouches for it any more.
  rmSync(`${databaseFile(to)}.clean`, { force: true })
  const db = new Database(databaseFile(to))
  db.exec(`
    DROP INDEX trading_fills_by_order;
    CREATE INDEX trading_fills_by_order ON trading_fills (account_id, symbol, exchange_order_id);
    DROP INDEX trading_orders_active;
    CREATE INDEX trading_orders_active ON trading_orders (account_id, status) WHERE status IN ${ACTIVE_STATUSES_SQL};
    DROP INDEX trading_orders_unknown_due;
  `)
  db.pragma('wal_checkpoint(TRUNCATE)')
  db.close()
  return to
}

/**
 * `clean`: the book as its last clean close left it (the usual start: the integrity check runs in
 * the background); `crashed`: without the clean-close note, as after a crash or power cut (the
 * check runs before the host answers).
 */
type LastClose = 'clean' | 'crashed'

async function startOnce(
  entry: string,
  from: string | null,
  root: string,
  lastClose: LastClose = 'clean',
): Promise<Start> {
  // Every start on its own copy, so no run starts from what an earlier one left. Timestamps kept:
  // a copy with a new modification time would not match its clean-close note.
  const dir = mkdtempSync(join(root, 'run-'))
  if (from !== null) cpSync(from, dir, { recursive: true, preserveTimestamps: true })
  if (lastClose === 'crashed') rmSync(`${databaseFile(dir)}.clean`, { force: true })
  const port = 20000 + Math.floor(Math.random() * 20000)
  const t0 = performance.now()
  const child = spawn(process.execPath, [entry, '--port', String(port), '--data-dir', dir], {
    stdio: 'ignore',
  })
  const url = `http://127.0.0.1:${port}/healthz`
  try {
    let toHealthz = NaN
    let cpu = NaN
    for (;;) {
      try {
        const res = await fetch(url)
        if (res.ok) {
          toHealthz = performance.now() - t0
          cpu = cpuMs(child.pid)
          break
        }
      } catch {
        // not listening yet
      }
      if (performance.now() - t0 > GIVE_UP_MS) return { toHealthz: NaN, cpu: NaN, maxStall: NaN }
      await new Promise((r) => setTimeout(r, 5))
    }
    let maxStall = 0
    const until = performance.now() + 3_000
    while (performance.now() < until) {
      const t = performance.now()
      await fetch(url)
      maxStall = Math.max(maxStall, performance.now() - t)
    }
    return { toHealthz, cpu, maxStall }
  } finally {
    child.kill('SIGTERM')
    await new Promise((r) => child.once('exit', r))
    rmSync(dir, { recursive: true, force: true })
  }
}

/** User and system CPU time of a process so far, from /proc (clock ticks of 10 ms), or NaN. */
function cpuMs(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the command.
    return (Number(fields[11]) + Number(fields[12])) * 10
  } catch {
    return NaN
  }
}
