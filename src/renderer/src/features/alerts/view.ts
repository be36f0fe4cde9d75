import type { View } from '../shell/view'
import { AlertsView } from './AlertsView'

export const view = { id: 'alerts', label: 'Alerts', component: AlertsView } as const satisfies View
