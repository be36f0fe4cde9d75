import type { View } from '../shell/view'
import { DashboardView } from './DashboardView'

export const view = { id: 'dashboard', label: 'Dashboard', component: DashboardView } as const satisfies View
