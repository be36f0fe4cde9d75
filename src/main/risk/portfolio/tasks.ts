import { defineTask, type TaskOutput } from '../../compute/task'
import { computePortfolioRisk, type PortfolioRisk, type PortfolioRiskInput } from './compute'

/** Portfolio VaR/ES, correlations and stress tests in a worker thread. */
export const portfolioRiskTask = defineTask(
  'risk.portfolio',
  (input: PortfolioRiskInput): TaskOutput<PortfolioRisk> => ({
    value: computePortfolioRisk(input),
    transfer: [],
  }),
)

/** Risk's compute task kinds (listed in src/main/tasks.ts). */
export const RISK_TASKS = [portfolioRiskTask]
