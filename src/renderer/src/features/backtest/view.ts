import type { View } from '../shell/view'
import { BacktestView } from './BacktestView'

export const view = { id: 'backtest', label: 'Backtest', component: BacktestView } as const satisfies View
