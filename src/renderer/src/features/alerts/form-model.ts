import type {
  Alert,
  AlertCondition,
  AlertSeries,
  AlertSpecIn,
  CompareOp,
  DeliveryInput,
  EngineEventKind,
  Operand,
} from '../../../../shared/contract/alerts'
import type { Timeframe } from '../../../../shared/domain/timeframes'

/**
 * The alert form as the trader types it (text in every input) and its conversion to and from
 * the contract's spec. Pure: the form component renders a Draft, `toSpec` reads it (numbers
 * checked here with the field named, the rest checked by the engine, whose `validation` answer
 * names the field too: `fieldOf` puts it there).
 */

export type ConditionType = AlertCondition['type']
export type PriceField = 'last' | 'close' | 'open' | 'high' | 'low'

export interface OperandDraft {
  kind: Operand['kind']
  field: PriceField
  indicator: string
  /** `period=14, stddev=2`. */
  params: string
  output: string
  value: string
}

export interface DeliveryDraft {
  kind: DeliveryInput['kind']
  /** A new URL (webhook, Discord) or bot token (Telegram); empty keeps the stored one. */
  secret: string
  /** The stored secret's hint, when editing. */
  hint: string
  chatId: string
  template: string
}

export interface Draft {
  /** The alert edited; null for a new one. */
  id: string | null
  name: string
  source: string
  symbol: string
  timeframe: Timeframe
  type: ConditionType
  left: OperandDraft
  op: CompareOp
  right: OperandDraft
  moveDirection: 'up' | 'down'
  moveUnit: 'percent' | 'atr'
  moveValue: string
  atrPeriod: string
  moveBars: string
  channelOp: 'entering' | 'exiting' | 'inside' | 'outside'
  channelKind: 'bbands' | 'keltner' | 'donchian' | 'values'
  channelParams: string
  channelLower: string
  channelUpper: string
  channelPrice: PriceField
  volumeFactor: string
  volumeBars: string
  signalOp: 'crossing' | 'crossing_up' | 'crossing_down'
  signalThreshold: string
  orderEvents: ('filled' | 'partially_filled' | 'rejected')[]
  orderAccount: string
  breakerExchange: string
  jobEvents: ('failed' | 'summary')[]
  jobTask: string
  engineEvents: EngineEventKind[]
  eventSubject: string
  evaluate: 'intrabar' | 'bar_close'
  frequency: 'once' | 'once_per_bar' | 'once_per_bar_close' | 'every_time'
  /** Seconds between firings of an `every_time` alert. */
  minIntervalSec: string
  /** `YYYY-MM-DDTHH:mm` in local time (a datetime-local input); empty for none. */
  expiresAt: string
  hysteresisUnit: 'none' | 'percent' | 'absolute'
  hysteresisValue: string
  message: string
  /** Play the app's alert sound when it fires. */
  sound: boolean
  deliveries: DeliveryDraft[]
}

const operand = (o: Partial<OperandDraft> = {}): OperandDraft => ({
  kind: 'price',
  field: 'last',
  indicator: 'sma',
  params: '',
  output: '',
  value: '',
  ...o,
})

/** A new alert on `series`: last price crossing `value` (the chart's context menu's alert). */
export function newDraft(series: AlertSeries | null, value = ''): Draft {
  return {
    id: null,
    name: '',
    source: series?.source ?? 'demo',
    symbol: series?.symbol ?? '',
    timeframe: series?.timeframe ?? '1h',
    type: 'compare',
    left: operand(),
    op: 'crossing',
    right: operand({ kind: 'value', value }),
    moveDirection: 'up',
    moveUnit: 'percent',
    moveValue: '5',
    atrPeriod: '14',
    moveBars: '10',
    channelOp: 'exiting',
    channelKind: 'bbands',
    channelParams: '',
    channelLower: '',
    channelUpper: '',
    channelPrice: 'last',
    volumeFactor: '3',
    volumeBars: '20',
    signalOp: 'crossing_up',
    signalThreshold: '70',
    orderEvents: ['filled'],
    orderAccount: '',
    breakerExchange: '',
    jobEvents: ['failed'],
    jobTask: '',
    engineEvents: ['risk_limit_hit', 'trading_halted'],
    eventSubject: '',
    evaluate: 'intrabar',
    frequency: 'once',
    minIntervalSec: '60',
    expiresAt: '',
    hysteresisUnit: 'none',
    hysteresisValue: '',
    message: '',
    sound: false,
    deliveries: [],
  }
}

const paramsText = (p: Record<string, number | string>): string =>
  Object.entries(p)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ')

function operandDraft(o: Operand): OperandDraft {
  if (o.kind === 'price') return operand({ kind: 'price', field: o.field })
  if (o.kind === 'value') return operand({ kind: 'value', value: String(o.value) })
  return operand({
    kind: 'indicator',
    indicator: o.indicator,
    params: paramsText(o.params),
    output: o.output ?? '',
  })
}

/** `Date` as a datetime-local input's text, in local time. */
export function localInputTime(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000)
  return d.toISOString().slice(0, 16)
}

/** The form of a stored alert, secrets left empty (shown as their hints). */
export function draftOf(a: Alert): Draft {
  const d = newDraft(a.series)
  const c = a.condition
  d.id = a.id
  // A name the engine made from the condition is left empty, so it follows a changed condition.
  d.name = a.name === a.description ? '' : a.name
  d.type = c.type
  d.evaluate = a.evaluate
  d.frequency = a.frequency
  d.minIntervalSec = String(a.minIntervalMs / 1000)
  d.expiresAt = a.expiresAt === null ? '' : localInputTime(a.expiresAt)
  d.hysteresisUnit = a.hysteresis?.unit ?? 'none'
  d.hysteresisValue = a.hysteresis ? String(a.hysteresis.value) : ''
  d.message = a.message ?? ''
  d.sound = a.sound
  d.deliveries = a.deliveries.map((x) => ({
    kind: x.kind,
    secret: '',
    hint: x.hint,
    chatId: x.chatId ?? '',
    template: x.template ?? '',
  }))
  switch (c.type) {
    case 'compare':
      d.left = operandDraft(c.left)
      d.op = c.op
      d.right = operandDraft(c.right)
      break
    case 'move':
      d.moveDirection = c.direction
      d.moveUnit = c.by.unit
      d.moveValue = String(c.by.value)
      if (c.by.unit === 'atr') d.atrPeriod = String(c.by.atrPeriod)
      d.moveBars = String(c.bars)
      break
    case 'channel':
      d.channelOp = c.op
      d.channelKind = c.channel.kind
      d.channelPrice = c.price
      if (c.channel.kind === 'values') {
        d.channelLower = String(c.channel.lower)
        d.channelUpper = String(c.channel.upper)
      } else d.channelParams = paramsText(c.channel.params)
      break
    case 'volume_spike':
      d.volumeFactor = String(c.factor)
      d.volumeBars = String(c.bars)
      break
    case 'signal_score':
      d.signalOp = c.op
      d.signalThreshold = String(c.threshold)
      break
    case 'order':
      d.orderEvents = c.events
      d.orderAccount = c.accountId ?? ''
      break
    case 'breaker':
      d.breakerExchange = c.exchange ?? ''
      break
    case 'job':
      d.jobEvents = c.events
      d.jobTask = c.task ?? ''
      break
    case 'event':
      d.engineEvents = c.events
      d.eventSubject = c.subject ?? ''
      break
  }
  return d
}

/** Field errors by the form's field key (`condition.right.value`, `deliveries[0].secret`). */
export type FieldErrors = Record<string, string>

class FieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message)
  }
}

/** A number typed in a field (`1,234.5` and `1234.5` alike), or the field's error. */
function num(text: string, field: string): number {
  const t = text.trim().replace(/,(?=\d{3}(\D|$))/g, '')
  const n = t === '' ? NaN : Number(t)
  if (!Number.isFinite(n)) throw new FieldError(field, text.trim() === '' ? 'enter a number' : 'not a number')
  return n
}

/** `period=14, stddev=2` as parameters (numbers where they read as numbers). */
function params(text: string, field: string): Record<string, number | string> {
  const out: Record<string, number | string> = {}
  for (const part of text.split(/[,;]/)) {
    if (part.trim() === '') continue
    const m = /^\s*([A-Za-z_][\w]*)\s*=\s*(\S+)\s*$/.exec(part)
    if (!m)
      throw new FieldError(field, `write parameters as name=value, e.g. period=14 (not "${part.trim()}")`)
    const n = Number(m[2])
    out[m[1]!] = Number.isFinite(n) ? n : m[2]!
  }
  return out
}

function operandSpec(o: OperandDraft, field: string): Operand {
  if (o.kind === 'price') return { kind: 'price', field: o.field }
  if (o.kind === 'value') return { kind: 'value', value: num(o.value, `${field}.value`) }
  return {
    kind: 'indicator',
    indicator: o.indicator.trim(),
    params: params(o.params, `${field}.params`),
    ...(o.output.trim() ? { output: o.output.trim() } : {}),
  }
}

function conditionSpec(d: Draft): AlertCondition {
  switch (d.type) {
    case 'compare':
      return {
        type: 'compare',
        left: operandSpec(d.left, 'condition.left'),
        op: d.op,
        right: operandSpec(d.right, 'condition.right'),
      }
    case 'move':
      return {
        type: 'move',
        direction: d.moveDirection,
        by:
          d.moveUnit === 'percent'
            ? { unit: 'percent', value: num(d.moveValue, 'condition.by.value') }
            : {
                unit: 'atr',
                value: num(d.moveValue, 'condition.by.value'),
                atrPeriod: num(d.atrPeriod, 'condition.by.atrPeriod'),
              },
        bars: num(d.moveBars, 'condition.bars'),
      }
    case 'channel':
      return {
        type: 'channel',
        op: d.channelOp,
        price: d.channelPrice,
        channel:
          d.channelKind === 'values'
            ? {
                kind: 'values',
                lower: num(d.channelLower, 'condition.channel.lower'),
                upper: num(d.channelUpper, 'condition.channel.upper'),
              }
            : { kind: d.channelKind, params: params(d.channelParams, 'condition.channel.params') },
      }
    case 'volume_spike':
      return {
        type: 'volume_spike',
        factor: num(d.volumeFactor, 'condition.factor'),
        bars: num(d.volumeBars, 'condition.bars'),
      }
    case 'signal_score':
      return {
        type: 'signal_score',
        op: d.signalOp,
        threshold: num(d.signalThreshold, 'condition.threshold'),
      }
    case 'order':
      return {
        type: 'order',
        events: d.orderEvents,
        ...(d.orderAccount.trim() ? { accountId: d.orderAccount.trim() } : {}),
      }
    case 'breaker':
      return { type: 'breaker', ...(d.breakerExchange.trim() ? { exchange: d.breakerExchange.trim() } : {}) }
    case 'job':
      return { type: 'job', events: d.jobEvents, ...(d.jobTask.trim() ? { task: d.jobTask.trim() } : {}) }
    case 'event':
      return {
        type: 'event',
        events: d.engineEvents,
        ...(d.eventSubject.trim() ? { subject: d.eventSubject.trim() } : {}),
      }
  }
}

function deliverySpec(x: DeliveryDraft): DeliveryInput {
  const secret = x.secret.trim()
  const template = x.template.trim() ? { template: x.template } : {}
  if (x.kind === 'telegram')
    return { kind: 'telegram', chatId: x.chatId.trim(), ...(secret ? { botToken: secret } : {}), ...template }
  return { kind: x.kind, ...(secret ? { url: secret } : {}), ...template }
}

/** Conditions on engine events watch no series. */
export const isEventType = (t: ConditionType): boolean =>
  t === 'order' || t === 'breaker' || t === 'job' || t === 'event'

/** The spec to send, or the errors of fields that are not numbers where numbers are asked. */
export function toSpec(d: Draft): { spec: AlertSpecIn } | { errors: FieldErrors } {
  try {
    const spec: AlertSpecIn = {
      series: isEventType(d.type) ? null : { source: d.source, symbol: d.symbol, timeframe: d.timeframe },
      condition: conditionSpec(d),
      evaluate: d.frequency === 'once_per_bar_close' ? 'bar_close' : d.evaluate,
      frequency: d.frequency,
      minIntervalMs: Math.round(num(d.minIntervalSec, 'minIntervalMs') * 1000),
      expiresAt: d.expiresAt === '' ? null : new Date(d.expiresAt).getTime(),
      hysteresis:
        d.hysteresisUnit === 'none'
          ? null
          : { unit: d.hysteresisUnit, value: num(d.hysteresisValue, 'hysteresis.value') },
      sound: d.sound,
      deliveries: d.deliveries.map(deliverySpec),
    }
    if (d.name.trim()) spec.name = d.name.trim()
    if (d.message.trim()) spec.message = d.message
    return { spec }
  } catch (err) {
    if (err instanceof FieldError) return { errors: { [err.field]: err.message } }
    throw err
  }
}

/** Every field the form shows an error at. */
export const FIELDS = [
  'name',
  'series',
  'series.symbol',
  'series.timeframe',
  'condition',
  'condition.left',
  'condition.left.indicator',
  'condition.left.params',
  'condition.left.output',
  'condition.left.value',
  'condition.right',
  'condition.right.indicator',
  'condition.right.params',
  'condition.right.output',
  'condition.right.value',
  'condition.by.value',
  'condition.by.atrPeriod',
  'condition.bars',
  'condition.channel',
  'condition.channel.params',
  'condition.channel.lower',
  'condition.channel.upper',
  'condition.factor',
  'condition.threshold',
  'condition.events',
  'minIntervalMs',
  'expiresAt',
  'hysteresis.value',
  'message',
] as const

/**
 * The form field an engine `validation` path (`params.alert.condition.right.value`) belongs to:
 * the longest field key it starts with; a channel's secret (`deliveries[0].url`) is its `secret`.
 * Null when no field shows it (the form shows it at its top).
 */
export function fieldOf(path: string | undefined): string | null {
  if (!path) return null
  const p = path.replace(/^params\.alert\.?/, '')
  const d = /^deliveries\[(\d+)\](?:\.(\w+))?/.exec(p)
  if (d) {
    const f = d[2] === 'url' || d[2] === 'botToken' ? 'secret' : (d[2] ?? 'secret')
    return `deliveries[${d[1]}].${f}`
  }
  let best: string | null = null
  for (const f of FIELDS)
    if ((p === f || p.startsWith(`${f}.`) || p.startsWith(`${f}[`)) && (!best || f.length > best.length))
      best = f
  return best
}

/**
 * The spec of a stored alert as it is, to send back changed (a line moved): channels go without
 * their secrets, which keeps the stored ones.
 */
export function specOf(a: Alert): AlertSpecIn {
  return {
    // A name the engine made from the condition is left out, so it follows the new level.
    ...(a.name === a.description ? {} : { name: a.name }),
    series: a.series,
    condition: a.condition,
    evaluate: a.evaluate,
    frequency: a.frequency,
    minIntervalMs: a.minIntervalMs,
    expiresAt: a.expiresAt,
    hysteresis: a.hysteresis,
    ...(a.message !== null ? { message: a.message } : {}),
    sound: a.sound,
    deliveries: a.deliveries.map((x) => {
      const template = x.template !== undefined ? { template: x.template } : {}
      return x.kind === 'telegram'
        ? { kind: 'telegram' as const, chatId: x.chatId ?? '', ...template }
        : { kind: x.kind, ...template }
    }),
  }
}

/**
 * The level of a price alert: a compare of a price field against a value (either side), which
 * the chart draws as a line a trader can drag. Null for any other alert.
 */
export function priceLevel(a: Alert): { value: number; side: 'left' | 'right' } | null {
  const c = a.condition
  if (c.type !== 'compare') return null
  if (c.left.kind === 'price' && c.right.kind === 'value') return { value: c.right.value, side: 'right' }
  if (c.right.kind === 'price' && c.left.kind === 'value') return { value: c.left.value, side: 'left' }
  return null
}

/** The alert with its level at `value` (a dragged line). */
export function withLevel(a: Alert, value: number): Alert | null {
  const level = priceLevel(a)
  if (!level || a.condition.type !== 'compare') return null
  return { ...a, condition: { ...a.condition, [level.side]: { kind: 'value', value } } }
}
