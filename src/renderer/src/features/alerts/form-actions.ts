import type { Alert, AlertSeries } from '../../../../shared/contract/alerts'
import type { AppErrorShape } from '../../../../shared/contract/errors'
import { slot } from '../../sync'
import { notify, reportError } from '../notices/store'
import { draftOf, fieldOf, newDraft, toSpec, type Draft } from './form-model'
import { IDLE_PREVIEW, useAlertFormStore } from './form-store'
import { showAlerts } from './live'

/** The form while it is open: a preview or save for an older draft never lands. */
const form = slot()

const set = useAlertFormStore.setState
const get = useAlertFormStore.getState

/** How long the form waits after the last keystroke before asking for a preview. */
const PREVIEW_DELAY_MS = 400
export const PREVIEW_DAYS = 30

/** Opens the form for a new alert (on `series`) or to edit `alert`, on the Alerts view. */
export function openForm(what: { alert: Alert } | { series: AlertSeries | null }): void {
  const draft = 'alert' in what ? draftOf(what.alert) : newDraft(what.series)
  form.open(draft.id ?? 'new')
  set({ draft, errors: {}, formError: null, saving: false, preview: IDLE_PREVIEW })
  showAlerts()
  schedulePreview(0)
}

export function closeForm(): void {
  form.close()
  set({ draft: null, errors: {}, formError: null, saving: false, preview: IDLE_PREVIEW })
}

/** The trader changed fields: the preview follows after a pause in typing. */
export function editDraft(patch: Partial<Draft>): void {
  const draft = get().draft
  if (!draft) return
  set({ draft: { ...draft, ...patch }, errors: {}, formError: null })
  schedulePreview(PREVIEW_DELAY_MS)
}

function schedulePreview(ms: number): void {
  form.current?.later('preview', () => void runPreview(), ms)
}

function placeError(error: AppErrorShape): void {
  const field = fieldOf(error.path)
  // The engine's message names the path; at the field the reason alone reads better.
  const reason = error.message.replace(/^[\w.[\]]+: /, '')
  if (field) set({ errors: { [field]: reason }, formError: null })
  else set({ formError: error.message })
}

async function runPreview(): Promise<void> {
  const draft = get().draft
  const scope = form.current
  if (!draft || !scope) return
  const read = toSpec(draft)
  if ('errors' in read) {
    set({
      errors: read.errors,
      preview: { ...IDLE_PREVIEW, reason: 'Fix the marked field to see the preview.' },
    })
    return
  }
  if (read.spec.series === null) {
    set({ preview: { ...IDLE_PREVIEW, reason: 'Event alerts have no price history to preview.' } })
    return
  }
  set((s) => ({ preview: { ...s.preview, state: 'loading', reason: null } }))
  const res = await scope.invoke('alerts.preview', { alert: read.spec, days: PREVIEW_DAYS }, 'preview')
  if (!res) return
  if (res.ok) {
    set({
      preview: {
        state: 'ready',
        days: PREVIEW_DAYS,
        result: res.value,
        series: read.spec.series ?? null,
        reason: null,
      },
    })
    return
  }
  set({ preview: { ...IDLE_PREVIEW, state: 'error', reason: res.error.message } })
  if (res.error.kind === 'validation') placeError(res.error)
}

/** Creates or updates the alert; field errors stay on the form, at their fields. */
export async function saveDraft(): Promise<void> {
  const draft = get().draft
  const scope = form.current
  if (!draft || !scope || get().saving) return
  const read = toSpec(draft)
  if ('errors' in read) {
    set({ errors: read.errors })
    return
  }
  set({ saving: true })
  const res =
    draft.id === null
      ? await scope.invoke('alerts.create', { alert: read.spec }, 'save')
      : await scope.invoke('alerts.update', { id: draft.id, alert: read.spec }, 'save')
  if (!res) return
  set({ saving: false })
  if (!res.ok) {
    if (res.error.kind === 'validation') placeError(res.error)
    else reportError(draft.id === null ? 'Could not create the alert' : 'Could not save the alert', res.error)
    return
  }
  notify('info', draft.id === null ? 'Alert created' : 'Alert saved', res.value.description)
  closeForm()
}
