import type { KillSwitchReport, RiskUpdate } from '../../shared/contract/risk'
import { backoffDelay } from '../../shared/net/backoff'
import { asAppError } from '../trading/order-errors'
import type { Clock } from '../clock'
import type { Logger } from '../log'
import type { RiskTrading } from './ports'

/** Cancels in flight at once per account: enough to finish 100 orders fast, few enough not to flood an exchange. */
const PER_ACCOUNT = 8

interface Outstanding {
  accountId: string
  clientOrderId: string
  symbol: string
  error: string
}

/** What the kill switch asks of the risk service (service.ts), named here so the two do not import each other. */
export interface KillSwitchRisk {
  setState(scope: string, state: 'HALTED', reason: string, setBy: 'kill_switch'): unknown
  cancellableOrders(accountId: string): { clientOrderId: string; symbol: string }[]
  accountIds(): string[]
  exemptClose(accountId: string, symbol: string): void
  revokeClose(accountId: string, symbol: string): void
  recordKillSwitch(message: string, request: object): void
  emit(u: RiskUpdate): void
}

export interface KillSwitchOptions {
  clock: Clock
  log: Logger | undefined
  trading: RiskTrading
  risk: KillSwitchRisk
  retryBaseMs: number
  retryMaxMs: number
}

/**
 * The kill switch: HALTED everywhere first (so nothing new goes out while it works), then every
 * open, held and waiting order of every account canceled (accounts side by side, 8 cancels at a
 * time per account), then, when asked, every position closed at market (each close passes the
 * HALTED state once, by the risk engine's exemption for it). Cancels that fail (an exchange that
 * is down) are kept as outstanding and retried with backoff until they pass or the order is no
 * longer open; the report says so and `risk.updates` carries each change of it.
 *
 * Idempotent: pressing it while a run works answers that run; pressing it again later runs
 * again, which finds HALTED already set and little or nothing left to cancel.
 */
export class KillSwitch {
  private running: Promise<KillSwitchReport> | null = null
  private report: KillSwitchReport | null = null
  private readonly outstanding = new Map<string, Outstanding>()
  private retryTimer: NodeJS.Timeout | undefined
  private failures = 0
  private closed = false

  constructor(private readonly o: KillSwitchOptions) {}

  /** The last run's report (null before the first). */
  last(): KillSwitchReport | null {
    return this.report && { ...this.report, outstanding: [...this.report.outstanding] }
  }

  press(closePositions: boolean): Promise<KillSwitchReport> {
    this.running ??= this.execute(closePositions).finally(() => {
      this.running = null
    })
    return this.running
  }

  close(): void {
    this.closed = true
    clearTimeout(this.retryTimer)
  }

  private async execute(closePositions: boolean): Promise<KillSwitchReport> {
    const startedAt = this.o.clock.now()
    const at = new Date(startedAt).toISOString().slice(11, 16)
    this.o.risk.setState('global', 'HALTED', `kill switch at ${at} UTC`, 'kill_switch')
    const report: KillSwitchReport = {
      startedAt,
      finishedAt: null,
      running: true,
      closePositions,
      canceled: 0,
      outstanding: [],
      closed: [],
      closeFailures: [],
      summary: 'Canceling every open order…',
    }
    this.report = report
    this.o.risk.emit({ type: 'killSwitch', report: { ...report } })
    const accounts = this.o.risk.accountIds()
    await Promise.all(
      accounts.map(async (accountId) => {
        const orders = this.o.risk.cancellableOrders(accountId)
        let next = 0
        const worker = async () => {
          while (next < orders.length) {
            const order = orders[next++]!
            if (await this.cancel(accountId, order.clientOrderId, order.symbol)) report.canceled++
          }
        }
        await Promise.all(Array.from({ length: Math.min(PER_ACCOUNT, orders.length) }, worker))
      }),
    )
    if (closePositions) {
      for (const accountId of accounts) await this.closeAll(accountId, report)
    }
    this.finishPass(report)
    this.o.risk.recordKillSwitch(report.summary, { closePositions })
    if (this.outstanding.size > 0) this.scheduleRetry()
    return { ...report, outstanding: [...report.outstanding] }
  }

  /** Cancels one order; false (and kept outstanding) when the exchange could not be told. */
  private async cancel(accountId: string, clientOrderId: string, symbol: string): Promise<boolean> {
    const key = `${accountId}\n${clientOrderId}`
    try {
      await this.o.trading.cancelOrder(accountId, clientOrderId)
      this.outstanding.delete(key)
      return true
    } catch (err) {
      // Gone already (filled or canceled meanwhile): nothing is left to cancel.
      if (!this.o.risk.cancellableOrders(accountId).some((r) => r.clientOrderId === clientOrderId)) {
        this.outstanding.delete(key)
        return false
      }
      this.outstanding.set(key, { accountId, clientOrderId, symbol, error: asAppError(err).message })
      return false
    }
  }

  private async closeAll(accountId: string, report: KillSwitchReport): Promise<void> {
    let positions
    try {
      positions = await this.o.trading.positions(accountId)
    } catch (err) {
      report.closeFailures.push({ accountId, symbol: '*', error: asAppError(err).message })
      return
    }
    for (const p of positions) {
      if (p.side === 'flat' || p.side === 'dust') continue
      this.o.risk.exemptClose(accountId, p.symbol)
      try {
        const done = await this.o.trading.closePosition({
          accountId,
          symbol: p.symbol,
          cancelResting: true,
          confirm: true,
          dryRun: false,
        })
        report.closed.push({ accountId, symbol: p.symbol, amount: done.amount })
      } catch (err) {
        report.closeFailures.push({ accountId, symbol: p.symbol, error: asAppError(err).message })
      } finally {
        this.o.risk.revokeClose(accountId, p.symbol)
      }
    }
  }

  private finishPass(report: KillSwitchReport): void {
    report.outstanding = [...this.outstanding.values()]
    report.running = this.outstanding.size > 0
    if (!report.running) report.finishedAt = this.o.clock.now()
    report.summary = summarize(report)
    this.o.risk.emit({ type: 'killSwitch', report: { ...report, outstanding: [...report.outstanding] } })
  }

  private scheduleRetry(): void {
    if (this.closed || this.retryTimer) return
    this.failures++
    const wait = backoffDelay(this.failures, { baseMs: this.o.retryBaseMs, maxMs: this.o.retryMaxMs })
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined
      void this.retry()
    }, wait)
  }

  private async retry(): Promise<void> {
    const report = this.report
    if (this.closed || !report) return
    for (const o of [...this.outstanding.values()]) {
      if (await this.cancel(o.accountId, o.clientOrderId, o.symbol)) report.canceled++
    }
    this.finishPass(report)
    if (this.outstanding.size > 0) this.scheduleRetry()
    else {
      this.failures = 0
      this.o.risk.recordKillSwitch(`Kill switch retries done: ${report.summary}`, { retried: true })
    }
  }
}

function summarize(r: KillSwitchReport): string {
  const parts = [`HALTED everywhere; ${r.canceled} order${r.canceled === 1 ? '' : 's'} canceled`]
  if (r.closePositions) {
    parts.push(`${r.closed.length} position${r.closed.length === 1 ? '' : 's'} closed`)
    if (r.closeFailures.length > 0) parts.push(`${r.closeFailures.length} close(s) failed`)
  }
  if (r.outstanding.length > 0) {
    parts.push(
      `${r.outstanding.length} still open (the exchange refused or did not answer: retrying until they are canceled)`,
    )
  } else parts.push('nothing outstanding')
  return parts.join('; ')
}
