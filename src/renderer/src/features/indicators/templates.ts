import type { IndicatorTemplate } from '../../../../shared/contract/charting'
import type { Result } from '../../../../shared/contract/errors'
import { client } from '../../connection'
import { reportError } from '../notices/store'
import { replaceIndicators } from './actions'
import { useIndicatorsStore } from './store'

const get = useIndicatorsStore.getState
const set = useIndicatorsStore.setState

function keep(res: Result<IndicatorTemplate[]>, failed: string): boolean {
  if (!res.ok) {
    reportError(failed, res.error)
    return false
  }
  set({ templates: res.value })
  return true
}

/** Reads the named templates (the menu opened). */
export async function loadTemplates(): Promise<void> {
  keep(await client().invoke('charting.templates.list', {}), 'Could not load the indicator templates')
}

/**
 * Saves the shown indicators as the template `name` (replacing one of that name). Resolves to
 * the engine's refusal in words (shown under the name field), or null when saved.
 */
export async function saveTemplate(name: string): Promise<string | null> {
  const indicators = get().settings?.indicators ?? []
  const res = await client().invoke('charting.templates.save', { template: { name, indicators } })
  if (!res.ok && res.error.kind === 'validation') return res.error.message
  keep(res, `Could not save the template ${name}`)
  return null
}

/** Shows template `name`'s indicators on the chart in place of the ones shown. */
export function applyTemplate(name: string): void {
  const t = get().templates?.find((x) => x.name === name)
  if (t) replaceIndicators(t.indicators)
}

export async function deleteTemplate(name: string): Promise<void> {
  keep(await client().invoke('charting.templates.delete', { name }), `Could not delete the template ${name}`)
}
