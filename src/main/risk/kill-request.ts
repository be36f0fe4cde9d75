import { randomBytes } from 'node:crypto'
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { killSwitchReportSchema, type KillSwitchReport } from '../../shared/contract/risk'
import type { Logger } from '../log'

/**
 * The kill switch from outside the app (`npm run cli -- kill-switch`): the CLI writes a request
 * file into the data folder, and the engine running on that folder (desktop or headless, which
 * both own the folder and its keys) presses the kill switch and writes its report beside it,
 * again after each retry. A file needs no port, token or socket, and reaches the desktop app as
 * well as the headless host.
 */
export const KILL_REQUEST_FILE = 'kill-switch.request.json'
export const KILL_REPORT_FILE = 'kill-switch.report.json'

export interface KillRequest {
  id: string
  closePositions: boolean
  at: number
}

export function writeKillRequest(dataDir: string, closePositions: boolean, now: number): KillRequest {
  const request = { id: randomBytes(8).toString('hex'), closePositions, at: now }
  writeAtomically(join(dataDir, KILL_REQUEST_FILE), JSON.stringify(request))
  return request
}

export function removeKillRequest(dataDir: string, id: string): void {
  const r = readJson(join(dataDir, KILL_REQUEST_FILE)) as KillRequest | undefined
  if (r?.id === id) rmSync(join(dataDir, KILL_REQUEST_FILE), { force: true })
}

/** The report written for request `id`, if any yet. */
export function readKillReport(dataDir: string, id: string): KillSwitchReport | undefined {
  const r = readJson(join(dataDir, KILL_REPORT_FILE)) as { id?: string; report?: unknown } | undefined
  if (!r || r.id !== id) return undefined
  const parsed = killSwitchReportSchema.safeParse(r.report)
  return parsed.success ? parsed.data : undefined
}

export function writeKillReport(dataDir: string, id: string, report: KillSwitchReport): void {
  writeAtomically(join(dataDir, KILL_REPORT_FILE), JSON.stringify({ id, report }))
}

/**
 * Watches the data folder for a request (polled every `pollMs`; a stat is cheap) and hands it
 * to `press` once; the request file is removed as it is taken.
 */
export function watchKillRequests(
  dataDir: string,
  press: (r: KillRequest) => void,
  log: Logger | undefined,
  pollMs = 500,
): () => void {
  const file = join(dataDir, KILL_REQUEST_FILE)
  const timer = setInterval(() => {
    try {
      statSync(file)
    } catch {
      return
    }
    const r = readJson(file) as Partial<KillRequest> | undefined
    rmSync(file, { force: true })
    if (!r || typeof r.id !== 'string') {
      log?.warn(`ignored an unreadable ${KILL_REQUEST_FILE}`)
      return
    }
    press({ id: r.id, closePositions: r.closePositions === true, at: Number(r.at) || 0 })
  }, pollMs)
  timer.unref()
  return () => clearInterval(timer)
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown
  } catch {
    return undefined
  }
}

function writeAtomically(file: string, text: string): void {
  const temp = `${file}.${randomBytes(4).toString('hex')}.partial`
  writeFileSync(temp, text, { mode: 0o600 })
  renameSync(temp, file)
}
