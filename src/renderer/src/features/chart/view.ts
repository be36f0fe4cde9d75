import type { View } from '../shell/view'
import { TradeView } from './TradeView'

export const view = { id: 'trade', label: 'Trade', component: TradeView } as const satisfies View
