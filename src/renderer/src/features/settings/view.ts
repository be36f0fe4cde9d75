import type { View } from '../shell/view'
import { SettingsView } from './SettingsView'

export const view = { id: 'settings', label: 'Settings', component: SettingsView } as const satisfies View
