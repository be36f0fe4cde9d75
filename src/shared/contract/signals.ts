import { z } from 'zod'
import { signalProfileSchema, signalSchema } from '../domain/signals'
import { timeframeSchema } from '../domain/timeframes'
import { command, stream } from './define'

const symbolRef = {
  /** `demo`, `import:<name>`: where the bars come from, as in `market.*`. */
  source: z.string().min(1).max(64),
  symbol: z.string().min(1).max(64),
}

/** Each timeframe the active profile scores, with its newest signal (null while warming up). */
export const signalFrameSchema = z.object({
  timeframe: timeframeSchema,
  signal: signalSchema.nullable(),
})

export const signalsCurrentSchema = z.object({
  source: z.string(),
  symbol: z.string(),
  profile: z.string(),
  timeframes: z.array(signalFrameSchema),
})
export type SignalsCurrent = z.infer<typeof signalsCurrentSchema>

export const signalsUpdateSchema = z.object({
  /** `snapshot`: every timeframe's newest signal (first event, and after a profile change); `update`: bars closed. */
  kind: z.enum(['snapshot', 'update']),
  source: z.string(),
  symbol: z.string(),
  profile: z.string(),
  /** The timeframes the profile scores for this symbol, shortest first. */
  timeframes: z.array(timeframeSchema),
  /** For `update`, the newest signal of each timeframe whose bar closed. */
  signals: z.array(signalSchema),
})
export type SignalsUpdate = z.infer<typeof signalsUpdateSchema>

export const signalProfilesSchema = z.object({
  active: z.string(),
  profiles: z.array(z.object({ profile: signalProfileSchema, builtin: z.boolean() })),
})
export type SignalProfiles = z.infer<typeof signalProfilesSchema>

export const signalsContract = {
  'signals.current': command({
    description:
      'The newest signal of every timeframe the active profile scores for one symbol: a score from 0 (strong sell) to 100 (strong buy), 50 neutral, with components, direction, confidence and reasons. Computed on closed bars only; how is documented in src/main/signals/README.md.',
    params: z.object(symbolRef).strict(),
    result: signalsCurrentSchema,
  }),
  'signals.history': command({
    description:
      'Stored signals of one symbol and timeframe under the active profile, oldest first: the newest `limit` with bar open time in [from, to]. Empty for a timeframe the profile does not score.',
    params: z
      .object({
        ...symbolRef,
        timeframe: timeframeSchema,
        from: z.number().int().optional(),
        to: z.number().int().optional(),
        limit: z.number().int().min(1).max(10_000).default(1000),
      })
      .strict(),
    result: z.object({ profile: z.string(), signals: z.array(signalSchema) }),
  }),
  'signals.updates': stream({
    description:
      'Signals of one symbol as bars close (live sources only): first a snapshot of every timeframe, then one event per closed bar with the timeframes that closed; a new snapshot after the profile changes.',
    params: z.object(symbolRef).strict(),
    event: signalsUpdateSchema,
  }),
  'signals.profiles': command({
    description: 'Signal profiles: the built-in default and the saved ones, and which is active.',
    params: z.object({}).strict(),
    result: signalProfilesSchema,
  }),
  'signals.setProfile': command({
    description:
      'Activates a profile: `{id}` picks a saved one (or `default`); `{profile}` validates, saves and activates it (its stored history is cleared if its definition changed). Signals are recomputed.',
    params: z.union([
      z.object({ id: z.string().min(1).max(40) }).strict(),
      z.object({ profile: signalProfileSchema }).strict(),
    ]),
    result: signalProfilesSchema,
  }),
}
