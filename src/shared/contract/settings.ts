import { z } from 'zod'
import { CHART_TIMEFRAMES, TIMEFRAMES, timeframeSchema } from '../domain/timeframes'
import { command, stream } from './define'

/** Whether `zone` is an IANA time zone this JavaScript runtime knows (`Europe/Paris`, `UTC`). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone })
    return true
  } catch {
    return false
  }
}

/** `system` follows the operating system (prefers-color-scheme); `dark` and `light` are fixed. */
export const themeSchema = z.enum(['system', 'dark', 'light'])
export type Theme = z.infer<typeof themeSchema>

/**
 * `local`: the zone of the machine showing the window (each browser's own); otherwise an IANA
 * zone such as `UTC` or `America/New_York`.
 */
export const timeZoneSchema = z
  .string()
  .min(1)
  .max(64)
  .refine((z) => z === 'local' || isTimeZone(z), { message: 'Not a known IANA time zone (or "local")' })

/** How numbers are shown: `point` 1,234.56; `comma` 1.234,56. Display only: inputs accept both. */
export const numberFormatSchema = z.enum(['point', 'comma'])
export type NumberFormat = z.infer<typeof numberFormatSchema>

/** The timeframes shown as buttons in the chart's toolbar (the others are in its menu), each once. */
export const favouriteTimeframesSchema = z
  .array(timeframeSchema)
  .max(TIMEFRAMES.length)
  .refine((tfs) => new Set(tfs).size === tfs.length, { message: 'A timeframe is listed twice' })

export const preferencesSchema = z.object({
  theme: themeSchema,
  timeZone: timeZoneSchema,
  numberFormat: numberFormatSchema,
  /** The account the desk opens on; null: the first account (as before there was a choice). */
  defaultAccountId: z.string().min(1).max(64).nullable(),
  /** The chart toolbar's timeframe buttons; keys 1…9 pick them in order. */
  favouriteTimeframes: favouriteTimeframesSchema,
})
export type Preferences = z.infer<typeof preferencesSchema>

export const DEFAULT_PREFERENCES: Preferences = {
  theme: 'system',
  timeZone: 'local',
  numberFormat: 'point',
  defaultAccountId: null,
  favouriteTimeframes: [...CHART_TIMEFRAMES],
}

export const settingsContract = {
  'settings.get': command({
    description:
      "The trader's preferences (theme, time zone, number format, default account, the chart's favourite timeframes), stored in the engine so every " +
      'window and browser on it shows the same; the defaults until one is set.',
    params: z.object({}).strict(),
    result: preferencesSchema,
  }),
  'settings.set': command({
    description:
      'Changes some preferences (the others stay) and answers all of them; every `settings.updates` subscriber ' +
      'gets the new set.',
    params: preferencesSchema.partial().strict(),
    result: preferencesSchema,
  }),
  'settings.updates': stream({
    description: 'The preferences now, then again after every change (from any window).',
    params: z.object({}).strict(),
    event: preferencesSchema,
  }),
}
