import type { View } from '../shell/view'
import { JournalView } from './JournalView'

export const view = { id: 'journal', label: 'Journal', component: JournalView } as const satisfies View
