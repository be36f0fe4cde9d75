import { isAbsolute } from 'node:path'
import { AppError } from '../../shared/contract/errors'
import type { riskContract } from '../../shared/contract/risk'
import type { Domain } from '../domain'
import { writeAuditCsv } from './audit-export'
import { previewOrderRisk } from './order-preview'
import { portfolioRisk, type PortfolioDeps } from './portfolio/handler'
import { RiskService, type RiskServiceOptions } from './service'

export interface RiskDomain extends Domain<typeof riskContract> {
  readonly service: RiskService
}

/**
 * The risk engine (docs/RISK.md): limits and trading states in front of every order, the kill
 * switch, and the audit log of every decision.
 */
export function createRiskDomain(
  deps: RiskServiceOptions & {
    /** Where portfolio risk reads bars and computes; without it risk.portfolio answers `unavailable`. */
    portfolio?: Omit<PortfolioDeps, 'accounts' | 'positions' | 'now'> | undefined
  },
): RiskDomain {
  const service = new RiskService(deps)
  return {
    name: 'risk',
    service,
    handlers: {
      'risk.overview': () => service.overview(),
      'risk.portfolio': (p) => {
        const port = deps.portfolio
        if (!port) throw new AppError('unavailable', 'portfolio risk needs the compute pool and market bars')
        return portfolioRisk(
          {
            ...port,
            accounts: () => deps.trading.accounts(),
            positions: (id) => deps.trading.positions(id),
            now: () => deps.clock.now(),
          },
          p,
        )
      },
      'risk.previewOrder': (req) =>
        previewOrderRisk(
          {
            trading: deps.trading,
            service,
            bars: deps.portfolio,
            now: () => deps.clock.now(),
          },
          req,
        ),
      'risk.setLimits': ({ scope, limits }) => service.setLimits(scope, limits),
      'risk.setState': ({ scope, state, reason }) =>
        service.setState(scope, state, reason?.trim() || 'set by the trader', 'trader'),
      'risk.killSwitch': ({ closePositions }) => service.killSwitch.press(closePositions),
      'risk.killSwitchStatus': () => service.killSwitch.last(),
      'risk.audit': (q) => service.audit(q),
      'risk.exportAudit': async ({ path, accountId }) => {
        if (!isAbsolute(path))
          throw new AppError('validation', 'params.path: an absolute file path', 'params.path')
        const entries = service.audit({ accountId, limit: 1_000_000 }).reverse()
        const r = await writeAuditCsv(path, entries).catch((err: unknown) => {
          throw new AppError(
            'validation',
            `params.path: ${err instanceof Error ? err.message : String(err)}`,
            'params.path',
          )
        })
        return { path: r.file, rows: r.rows }
      },
      'risk.updates': (_p, sink) => service.subscribe((u) => sink.emit(u)),
    },
    start: () => service.start(),
    close: () => service.close(),
  }
}
