import type { View } from '../shell/view'
import { RiskView } from './RiskView'

export const view = { id: 'risk', label: 'Risk', component: RiskView } as const satisfies View
