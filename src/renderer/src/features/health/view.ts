import type { View } from '../shell/view'
import { HealthView } from './HealthView'

export const view = { id: 'health', label: 'Health', component: HealthView } as const satisfies View
