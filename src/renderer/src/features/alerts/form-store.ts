import { create } from 'zustand'
import type { AlertPreview, AlertSeries } from '../../../../shared/contract/alerts'
import type { Draft, FieldErrors } from './form-model'

export interface PreviewState {
  state: 'idle' | 'loading' | 'ready' | 'error'
  days: number
  result: AlertPreview | null
  /** The series the result is for (its firings are drawn on that chart). */
  series: AlertSeries | null
  /** Why there is no count (a field to fix, or the engine's reason). */
  reason: string | null
}

interface AlertFormState {
  /** The alert being created or edited; null when the form is closed. */
  draft: Draft | null
  errors: FieldErrors
  /** An error no field shows (the engine's, without a field path). */
  formError: string | null
  saving: boolean
  preview: PreviewState
}

export const IDLE_PREVIEW: PreviewState = {
  state: 'idle',
  days: 30,
  result: null,
  series: null,
  reason: null,
}

/** The Alerts view's form: written only by form-actions.ts. */
export const useAlertFormStore = create<AlertFormState>()(() => ({
  draft: null,
  errors: {},
  formError: null,
  saving: false,
  preview: IDLE_PREVIEW,
}))
