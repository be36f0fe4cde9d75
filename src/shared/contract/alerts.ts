import { z } from 'zod'
import { isLoopbackHost } from '../net/loopback'
import { timeframeSchema } from '../domain/timeframes'
import { command, stream } from './define'

/**
 * Alerts: conditions on a charted series (price, indicators, channels, moves, volume, the signal
 * score) or on engine events (orders, an exchange's breaker), evaluated in the engine and
 * delivered in the app, to webhooks, Telegram and Discord. Conventions (what "crossing" means
 * exactly at the level, intrabar vs bar close, hysteresis) are in docs/ARCHITECTURE.md "Alerts"
 * and src/main/alerts/compare.ts.
 */

/** The longest period (bars) a condition may look back or an indicator parameter may name. */
export const MAX_ALERT_PERIOD = 5_000

const finite = z.number().finite()
const period = z.number().int().min(1).max(MAX_ALERT_PERIOD)

export const alertSeriesSchema = z
  .object({
    /** `demo`, `import:<name>`, an exchange's source: as in `market.*`. */
    source: z.string().min(1).max(64),
    symbol: z.string().min(1).max(64),
    timeframe: timeframeSchema,
  })
  .strict()
export type AlertSeries = z.infer<typeof alertSeriesSchema>

/** A price of the bar: `last` is the newest trade (the forming bar's close), `close` the bar's close. */
export const priceFieldSchema = z.enum(['last', 'close', 'open', 'high', 'low'])

/**
 * One number per bar: a price field, an indicator's output (computed by the engine's indicator
 * registry, the same code as the chart), or a constant.
 */
export const operandSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('price'), field: priceFieldSchema }).strict(),
  z
    .object({
      kind: z.literal('indicator'),
      /** A registry id (`sma`, `rsi`, `macd`, ...; `npm run cli -- indicators --list`). */
      indicator: z.string().min(1).max(32),
      /** Parameters by name; missing ones take their defaults. */
      params: z.record(z.string().max(32), z.union([finite, z.string().max(32)])).default({}),
      /** Output name (`value`, `macd`, `signal`, `upper`...); the first output when left out. */
      output: z.string().min(1).max(32).optional(),
    })
    .strict(),
  z.object({ kind: z.literal('value'), value: finite }).strict(),
])
export type Operand = z.infer<typeof operandSchema>

export const compareOpSchema = z.enum(['crossing', 'crossing_up', 'crossing_down', 'greater', 'less'])
export type CompareOp = z.infer<typeof compareOpSchema>

export const channelSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.enum(['bbands', 'keltner', 'donchian']),
      params: z.record(z.string().max(32), z.union([finite, z.string().max(32)])).default({}),
    })
    .strict(),
  z.object({ kind: z.literal('values'), lower: finite, upper: finite }).strict(),
])

/**
 * Events other domains raise through the alerts' event port: an exchange's clock skew passing the
 * signing guard (the exchange hub, watched by the alerts domain itself), a backup failing (or its
 * verification), a risk limit hit and trading halted (the risk engine).
 */
export const ENGINE_EVENT_KINDS = ['clock_skew', 'backup_failed', 'risk_limit_hit', 'trading_halted'] as const
export type EngineEventKind = (typeof ENGINE_EVENT_KINDS)[number]

export const alertConditionSchema = z.discriminatedUnion('type', [
  /** `left op right`: price or an indicator output against a value or another series. */
  z
    .object({ type: z.literal('compare'), left: operandSchema, op: compareOpSchema, right: operandSchema })
    .strict(),
  /** The close moved up (down) by `percent` % or `atr` x ATR(atrPeriod) from the close `bars` bars ago. */
  z
    .object({
      type: z.literal('move'),
      direction: z.enum(['up', 'down']),
      by: z.discriminatedUnion('unit', [
        z.object({ unit: z.literal('percent'), value: z.number().positive().max(10_000) }).strict(),
        z
          .object({
            unit: z.literal('atr'),
            value: z.number().positive().max(1_000),
            atrPeriod: period.default(14),
          })
          .strict(),
      ]),
      bars: period,
    })
    .strict(),
  /**
   * The price against a channel: `entering`/`exiting` are events, `inside`/`outside` states. A
   * Donchian channel is that of the closed bars before (its bands hold the bar's own high and low,
   * so no price of a bar is ever outside them): exiting it is a breakout, as the turtles trade it.
   */
  z
    .object({
      type: z.literal('channel'),
      op: z.enum(['entering', 'exiting', 'inside', 'outside']),
      channel: channelSchema,
      price: priceFieldSchema.default('last'),
    })
    .strict(),
  /** The bar's volume above `factor` x the average volume of the `bars` closed bars before it. */
  z
    .object({ type: z.literal('volume_spike'), factor: z.number().positive().max(1_000), bars: period })
    .strict(),
  /** The signals domain's multi-timeframe score (0..100) of the series' timeframe crossing a threshold. */
  z
    .object({
      type: z.literal('signal_score'),
      op: z.enum(['crossing', 'crossing_up', 'crossing_down']),
      threshold: z.number().min(0).max(100),
    })
    .strict(),
  /** An order of an account (any account when left out) filled, partly filled or rejected. */
  z
    .object({
      type: z.literal('order'),
      accountId: z.string().min(1).max(64).optional(),
      events: z.array(z.enum(['filled', 'partially_filled', 'rejected'])).min(1),
    })
    .strict(),
  /** An exchange's circuit breaker opening (any exchange when left out). */
  z.object({ type: z.literal('breaker'), exchange: z.string().min(1).max(64).optional() }).strict(),
  /**
   * A scheduled task (`scheduler.list`'s ids; any task when left out) failing, or sending a
   * summary (the daily P&L): the scheduler raises these as they happen.
   */
  z
    .object({
      type: z.literal('job'),
      events: z.array(z.enum(['failed', 'summary'])).min(1),
      task: z.string().min(1).max(64).optional(),
    })
    .strict(),
  /**
   * An engine event (`ENGINE_EVENT_KINDS`) another domain raised through the alerts' event port
   * (`AlertService.raise`), about `subject` (the exchange, the account, the backup; any when left
   * out).
   */
  z
    .object({
      type: z.literal('event'),
      events: z.array(z.enum(ENGINE_EVENT_KINDS)).min(1),
      subject: z.string().min(1).max(64).optional(),
    })
    .strict(),
])
export type AlertCondition = z.infer<typeof alertConditionSchema>
export type MarketCondition = Exclude<AlertCondition, { type: 'order' | 'breaker' | 'job' | 'event' }>

/** Conditions on engine events, with no series. */
export const EVENT_CONDITIONS = ['order', 'breaker', 'job', 'event'] as const

/**
 * One event raised through the alerts' event port (`AlertService.raise`, docs/ARCHITECTURE.md
 * "Alerts"), checked by this schema: a domain says what happened in words (`message`, shown and
 * delivered as is), what it is about (`subject`: the exchange id, the account id, the backup's
 * file name or task), and the exact numbers (`values`: the limit and the value that broke it...),
 * stored with the firing.
 */
export const engineEventSchema = z
  .object({
    kind: z.enum(ENGINE_EVENT_KINDS),
    subject: z.string().min(1).max(64).optional(),
    message: z.string().trim().min(1).max(1_000),
    values: z.record(z.string().max(32), z.number().finite().nullable()).default({}),
    /** The symbol the event is about, when it is about one (a risk limit on BTC/USDT). */
    symbol: z.string().min(1).max(64).optional(),
  })
  .strict()
export type EngineEventIn = z.input<typeof engineEventSchema>
export type EngineEvent = z.output<typeof engineEventSchema>

/**
 * Where a webhook URL may point: https, or plain http to this computer (a test receiver). The
 * message never repeats the URL: it is a secret.
 */
export function webhookUrlProblem(value: string): string | null {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return 'not a URL: give one like https://example.com/hook'
  }
  if (url.username !== '' || url.password !== '')
    return 'a webhook URL must not carry a user name or password'
  if (url.protocol === 'https:') return null
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return null
  return 'a webhook URL must be https (plain http only to this computer: localhost, 127.0.0.1, [::1])'
}

const webhookUrl = z
  .string()
  .max(2048)
  .superRefine((v, ctx) => {
    const problem = webhookUrlProblem(v)
    if (problem) ctx.addIssue({ code: 'custom', message: problem })
  })

/** A message with placeholders: {{symbol}}, {{timeframe}}, {{close}}, {{condition}}, {{time}}, {{name}}, {{value}}. */
const template = z.string().min(1).max(2_000)

/**
 * Where a firing goes besides the app. Secrets (`url`, `botToken`) are written, never read back:
 * on `alerts.update` a channel given without its secret keeps the one stored for the channel at
 * the same place in the list, when it is of the same kind.
 */
export const deliveryInputSchema = z.discriminatedUnion('kind', [
  z
    .object({ kind: z.literal('webhook'), url: webhookUrl.optional(), template: template.optional() })
    .strict(),
  z
    .object({ kind: z.literal('discord'), url: webhookUrl.optional(), template: template.optional() })
    .strict(),
  z
    .object({
      kind: z.literal('telegram'),
      botToken: z
        .string()
        .regex(/^[0-9]{1,20}:[A-Za-z0-9_-]{20,100}$/, 'a Telegram bot token looks like 123456:ABC-def...')
        .optional(),
      chatId: z
        .string()
        .regex(/^-?[0-9]{1,20}$|^@[A-Za-z0-9_]{5,64}$/, 'a chat id (-1001234...) or @channel'),
      template: template.optional(),
    })
    .strict(),
])
export type DeliveryInput = z.infer<typeof deliveryInputSchema>

/** A channel as stored and shown: its secret only as a hint (`https://hooks.example…/ab`). */
export const deliverySchema = z.object({
  kind: z.enum(['webhook', 'discord', 'telegram']),
  /** What identifies the secret without giving it away. */
  hint: z.string(),
  chatId: z.string().optional(),
  template: z.string().optional(),
})
export type Delivery = z.infer<typeof deliverySchema>

export const hysteresisSchema = z.discriminatedUnion('unit', [
  z.object({ unit: z.literal('percent'), value: z.number().positive().max(100) }).strict(),
  z.object({ unit: z.literal('absolute'), value: z.number().positive().finite() }).strict(),
])

const specShape = {
  name: z.string().trim().min(1).max(120).optional(),
  /** The charted series the condition reads; null for event conditions (orders, breaker). */
  series: alertSeriesSchema.nullable().default(null),
  condition: alertConditionSchema,
  /** `intrabar`: on every live update of the forming bar; `bar_close`: only on closed bars. */
  evaluate: z.enum(['intrabar', 'bar_close']).default('bar_close'),
  /**
   * `once`: then the alert stops; `once_per_bar`: at most once per bar (intrabar allowed);
   * `once_per_bar_close`: evaluated on closed bars only, once each; `every_time`: each evaluation
   * where the condition holds, no sooner than `minIntervalMs` after the last firing.
   */
  frequency: z.enum(['once', 'once_per_bar', 'once_per_bar_close', 'every_time']).default('once_per_bar'),
  minIntervalMs: z
    .number()
    .int()
    .min(0)
    .max(7 * 86_400_000)
    .default(60_000),
  /** Ms since the epoch; the alert stops then. Must be in the future when given. */
  expiresAt: z.number().int().nullable().default(null),
  /** After a level alert (compare) fires, it re-arms only once the value went back this far. */
  hysteresis: hysteresisSchema.nullable().default(null),
  /** The in-app and default delivery text. */
  message: template.optional(),
  /** Play the app's alert sound when it fires (the page's sound setting decides, and can mute all). */
  sound: z.boolean().default(false),
  deliveries: z.array(deliveryInputSchema).max(5).default([]),
}
export const alertSpecSchema = z.object(specShape).strict()
export type AlertSpecIn = z.input<typeof alertSpecSchema>
export type AlertSpec = z.output<typeof alertSpecSchema>

export const alertStatusSchema = z.enum(['active', 'paused', 'fired', 'expired'])

export const alertSchema = z.object({
  id: z.string(),
  name: z.string(),
  series: alertSeriesSchema.nullable(),
  condition: alertConditionSchema,
  evaluate: z.enum(['intrabar', 'bar_close']),
  frequency: z.enum(['once', 'once_per_bar', 'once_per_bar_close', 'every_time']),
  minIntervalMs: z.number(),
  expiresAt: z.number().nullable(),
  hysteresis: hysteresisSchema.nullable(),
  message: z.string().nullable(),
  /** Asks for the app's alert sound when it fires. */
  sound: z.boolean(),
  deliveries: z.array(deliverySchema),
  /** `fired`: a `once` alert that fired; `expired`: past `expiresAt`. */
  status: alertStatusSchema,
  /** The condition in words (`BTC/USDT 1h: close crossing up 43250`). */
  description: z.string(),
  lastFiredAt: z.number().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
})
export type Alert = z.infer<typeof alertSchema>

export const deliveryAttemptSchema = z.object({
  channel: z.number().int(),
  kind: z.enum(['webhook', 'discord', 'telegram']),
  attempt: z.number().int(),
  at: z.number(),
  ok: z.boolean(),
  /** HTTP status, null when no answer came (timeout, refused). */
  status: z.number().int().nullable(),
  /** Why it failed, in words (never the URL or token); `skipped: ...` when not sent. */
  error: z.string().nullable(),
  durationMs: z.number(),
})
export type DeliveryAttempt = z.infer<typeof deliveryAttemptSchema>

/**
 * What fired a firing (the history's `kind` filter): the alert's condition type, or for an `event`
 * alert the engine event raised.
 */
export const FIRING_KINDS = [
  'compare',
  'move',
  'channel',
  'volume_spike',
  'signal_score',
  'order',
  'breaker',
  'job',
  ...ENGINE_EVENT_KINDS,
] as const
export const firingKindSchema = z.enum(FIRING_KINDS)
export type FiringKind = z.infer<typeof firingKindSchema>

export const firingSchema = z.object({
  id: z.number().int(),
  alertId: z.string(),
  alertName: z.string(),
  series: alertSeriesSchema.nullable(),
  /** What fired it (`FIRING_KINDS`); null for a firing stored before kinds were, whose alert is gone. */
  kind: z.string().nullable(),
  /** The series' symbol, or the order's or event's; null when none. */
  symbol: z.string().nullable(),
  /** When it fired (the engine's clock; for `away`, the close of the bar it fired on). */
  time: z.number(),
  /** Open time of the bar it fired on; null for events. */
  barTime: z.number().nullable(),
  /** Found on start, from bars that closed while the app was not running ("while you were away"). */
  away: z.boolean(),
  message: z.string(),
  /** The values that triggered it, by name (`left`, `right`, `close`, `upper`, ...). */
  values: z.record(z.string(), z.number().nullable()),
  read: z.boolean(),
  deliveries: z.array(deliveryAttemptSchema),
})
export type Firing = z.infer<typeof firingSchema>

export const previewSchema = z.object({
  /** Closed bars evaluated (the last `days` days of the stored history). */
  bars: z.number().int(),
  from: z.number().nullable(),
  to: z.number().nullable(),
  /** How many times it would have fired (a `once` alert counted as once per bar, else it could only be 1). */
  fired: z.number().int(),
  /** The firings, oldest first: the newest 1,000 at most, for markers on the chart. */
  firings: z.array(
    z.object({ time: z.number(), barTime: z.number(), values: z.record(z.string(), z.number().nullable()) }),
  ),
})
export type AlertPreview = z.infer<typeof previewSchema>

export const alertsUpdateSchema = z.discriminatedUnion('type', [
  /** First event: how many firings are unread. */
  z.object({ type: z.literal('snapshot'), unread: z.number().int() }),
  z.object({ type: z.literal('fired'), firing: firingSchema, unread: z.number().int() }),
  /** An alert was created, edited, paused, resumed, fired its last time or expired. */
  z.object({ type: z.literal('changed'), alert: alertSchema }),
  z.object({ type: z.literal('removed'), id: z.string() }),
  /** A delivery attempt finished. */
  z.object({ type: z.literal('delivery'), firingId: z.number().int(), attempt: deliveryAttemptSchema }),
  z.object({ type: z.literal('read'), unread: z.number().int() }),
])
export type AlertsUpdate = z.infer<typeof alertsUpdateSchema>

const idParam = { id: z.string().min(1).max(64) }

export const alertsContract = {
  'alerts.list': command({
    description:
      'Every alert, newest first, with its status, its condition in words and its delivery channels (secrets as hints only).',
    params: z.object({}).strict(),
    result: z.array(alertSchema),
  }),
  'alerts.create': command({
    description:
      'Creates an alert. Refused with `validation` naming the field for an unknown indicator or output, a period out of range, an expiry in the past, a series that is not charted, or a webhook URL that is not https (plain http only to this computer). Webhook URLs and bot tokens go to the secret store; the answer shows hints only.',
    params: z.object({ alert: alertSpecSchema }).strict(),
    result: alertSchema,
  }),
  'alerts.update': command({
    description:
      "Replaces an alert's definition (checked as in `alerts.create`) and re-arms it. A delivery channel given without its URL or token keeps the stored one of the channel at the same place, when it is of the same kind.",
    params: z.object({ ...idParam, alert: alertSpecSchema }).strict(),
    result: alertSchema,
  }),
  'alerts.setActive': command({
    description:
      'Pauses (`active: false`) or resumes an alert; resuming a fired or expired one re-arms it (an expiry in the past is refused).',
    params: z.object({ ...idParam, active: z.boolean() }).strict(),
    result: alertSchema,
  }),
  'alerts.delete': command({
    description: 'Deletes an alert and its stored secrets; its firings stay in the history.',
    params: z.object(idParam).strict(),
    result: z.object({ deleted: z.boolean() }),
  }),
  'alerts.preview': command({
    description:
      'How often an alert (not saved) would have fired over the last `days` days of stored history, with the firing times for chart markers. Computed on closed bars with the same code as live evaluation (frequency, hysteresis), so an intrabar alert may fire more often live; a signal-score alert over the scores the signals domain stored.',
    params: z.object({ alert: alertSpecSchema, days: z.number().int().min(1).max(365).default(30) }).strict(),
    result: previewSchema,
  }),
  'alerts.history': command({
    description:
      'Stored firings, newest first, with every delivery attempt: filter by alert, symbol, kind (what fired it: a condition type or an engine event), time range (`from`, `to`, ms, both inclusive) and unread.',
    params: z
      .object({
        alertId: z.string().min(1).max(64).optional(),
        symbol: z.string().min(1).max(64).optional(),
        kind: firingKindSchema.optional(),
        from: z.number().int().optional(),
        to: z.number().int().optional(),
        unreadOnly: z.boolean().default(false),
        limit: z.number().int().min(1).max(1_000).default(200),
      })
      .strict(),
    result: z.array(firingSchema),
  }),
  'alerts.markRead': command({
    description: 'Marks firings read (`ids`), or all of them (`all: true`); answers the unread count left.',
    params: z
      .object({ ids: z.array(z.number().int()).max(1_000).optional(), all: z.boolean().optional() })
      .strict(),
    result: z.object({ unread: z.number().int() }),
  }),
  'alerts.updates': stream({
    description:
      "Alert activity for the UI: first a `snapshot` with the unread count, then `fired` (with the firing and the new unread count), `changed`, `removed`, `delivery` (each attempt's result) and `read`.",
    params: z.object({}).strict(),
    event: alertsUpdateSchema,
  }),
}

/**
 * What the desktop app's main process tells its window on its own (not an answer to a call), on
 * the preload bridge's one extra channel (`IPC_DESKTOP_MESSAGE`, `onDesktopMessage`): a native
 * notification or the tray's latest alert was clicked, so show the alert's chart, or the Alerts
 * view for an alert with no series. Checked by the preload before the page sees it.
 */
export const desktopMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('openChart'), series: alertSeriesSchema }).strict(),
  z.object({ type: z.literal('openAlerts') }).strict(),
])
export type DesktopMessage = z.infer<typeof desktopMessageSchema>
