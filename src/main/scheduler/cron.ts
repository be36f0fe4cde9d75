import parser from 'cron-parser'
import { AppError } from '../../shared/contract/errors'
import type { Schedule } from '../../shared/contract/scheduler'

/**
 * Cron expressions as the scheduler accepts them: exactly five fields (minute hour day-of-month
 * month day-of-week), each a list of `*`, a number or name, a range `a-b`, optionally stepped
 * (`*\/15`, `9-17/2`); `?` stands for `*` in the two day fields. cron-parser (node-schedule's own)
 * computes the runs, in the task's time zone; this file checks each field first, so a mistake is
 * named by field and position, which cron-parser's messages do not do.
 *
 * Across a daylight-saving change the runs are cron-parser's: a time the clocks skip (01:30 in
 * Europe/London on the last Sunday of March) runs one hour later, at the same instant as the
 * next valid wall time (02:30 BST); a time that happens twice runs once.
 */

interface Field {
  name: string
  min: number
  max: number
  /** Names of the values from `min` up (JAN = 1, SUN = 0). */
  names?: readonly string[]
  /** `?` is allowed (the day fields). */
  anyOk?: boolean
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] as const
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const
const MONTH_WORDS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
]
const DAY_WORDS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']

const FIELDS: readonly Field[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31, anyOk: true },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day-of-week', min: 0, max: 7, names: DAYS, anyOk: true },
]

/** One item of a field's list, parsed. */
interface Item {
  /** null for `*` (the whole range). */
  from: number | null
  to: number | null
  step: number | null
}

const where = (i: number): string => `${FIELDS[i]!.name} (field ${i + 1})`

function fail(i: number, problem: string, path: string): never {
  throw new AppError('validation', `${where(i)}: ${problem}`, path)
}

function value(text: string, i: number, path: string): number {
  const f = FIELDS[i]!
  if (/^\d+$/.test(text)) {
    const n = Number(text)
    if (n < f.min || n > f.max) fail(i, `${text} is out of range ${f.min}-${f.max}`, path)
    return n
  }
  const at = f.names?.indexOf(text.toUpperCase() as never) ?? -1
  if (at >= 0) return f.min + at
  const hint = f.names ? ` or a name (${f.names[0]}, ${f.names[1]}, ...)` : ''
  fail(i, `"${text}" is not a number from ${f.min} to ${f.max}${hint}`, path)
}

function parseField(text: string, i: number, path: string): Item[] {
  const f = FIELDS[i]!
  return text.split(',').map((part) => {
    if (part === '') fail(i, 'an empty item in the list', path)
    const [range = '', stepText, extra] = part.split('/')
    if (extra !== undefined) fail(i, `"${part}" has more than one /`, path)
    let step: number | null = null
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) < 1)
        fail(i, `the step in "${part}" must be a whole number of at least 1`, path)
      step = Number(stepText)
      if (step > f.max - f.min + 1)
        fail(i, `the step ${step} is longer than the field's range ${f.min}-${f.max}`, path)
    }
    if (range === '*' || (range === '?' && f.anyOk)) return { from: null, to: null, step }
    if (range === '?') fail(i, '? is allowed only in day-of-month and day-of-week', path)
    const [a = '', b, more] = range.split('-')
    if (more !== undefined) fail(i, `"${part}" is not a range a-b`, path)
    const from = value(a, i, path)
    const to = b === undefined ? null : value(b, i, path)
    if (to !== null && to < from) fail(i, `the range "${range}" runs backwards`, path)
    return { from, to: to ?? (step !== null ? f.max : null), step }
  })
}

export interface ParsedCron {
  fields: Item[][]
}

/** Checks a cron expression field by field; throws `validation` at `path` naming the field and its position. */
export function parseCron(cron: string, path = 'params.cron'): ParsedCron {
  const parts = cron.trim().split(/\s+/)
  if (parts.length !== 5) {
    throw new AppError(
      'validation',
      `a cron expression has 5 fields (minute hour day-of-month month day-of-week); this one has ${parts.length}`,
      path,
    )
  }
  return { fields: parts.map((p, i) => parseField(p, i, path)) }
}

/**
 * The next `count` runs strictly after `after` (ms) in `timeZone`. Throws `validation` for an
 * expression that can never run (31 February).
 */
export function nextCronRuns(
  cron: string,
  timeZone: string,
  after: number,
  count: number,
  path = 'params.cron',
): number[] {
  parseCron(cron, path)
  try {
    const it = parser.parseExpression(cron, { tz: timeZone, currentDate: new Date(after) })
    const out: number[] = []
    for (let i = 0; i < count; i++) out.push(it.next().toDate().getTime())
    return out
  } catch (err) {
    throw new AppError(
      'validation',
      `this expression never runs: ${err instanceof Error ? err.message : String(err)}`,
      path,
    )
  }
}

/**
 * The runs of a schedule strictly after `after`, lazily (a caller counting missed runs stops at
 * now); an interval counts from `anchor` (its last run, or when it was set).
 */
export function* runsAfter(schedule: Schedule, after: number, anchor: number): Generator<number> {
  if (schedule.type === 'cron') {
    parseCron(schedule.cron, 'params.schedule.cron')
    const it = parser.parseExpression(schedule.cron, { tz: schedule.timeZone, currentDate: new Date(after) })
    for (;;) yield it.next().toDate().getTime()
  }
  const every = schedule.everyMs
  let next = anchor + every
  if (next <= after) next = anchor + (Math.floor((after - anchor) / every) + 1) * every
  for (;;) {
    yield next
    next += every
  }
}

/** The next `count` runs of a schedule after `after`; throws `validation` for a cron that cannot run. */
export function nextRuns(schedule: Schedule, after: number, count: number, anchor: number): number[] {
  if (schedule.type === 'cron')
    return nextCronRuns(schedule.cron, schedule.timeZone, after, count, 'params.schedule.cron')
  const out: number[] = []
  for (const t of runsAfter(schedule, after, anchor)) {
    if (out.length === count) break
    out.push(t)
  }
  return out
}

// --- in words ------------------------------------------------------------------------------

const pad = (n: number): string => String(n).padStart(2, '0')

function join(words: string[]): string {
  if (words.length <= 1) return words[0] ?? ''
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`
}

function itemWords(item: Item, name: (n: number) => string, unit: string): string {
  if (item.from === null) return item.step === null ? `every ${unit}` : `every ${item.step} ${unit}s`
  if (item.step !== null) {
    const end = item.to !== null ? ` through ${name(item.to)}` : ''
    return `every ${item.step} ${unit}s from ${name(item.from)}${end}`
  }
  if (item.to !== null) return `${name(item.from)} through ${name(item.to)}`
  return name(item.from)
}

const isAny = (items: Item[]): boolean =>
  items.length === 1 && items[0]!.from === null && items[0]!.step === null
const plain = (items: Item[]): number[] | null =>
  items.every((x) => x.from !== null && x.to === null && x.step === null) ? items.map((x) => x.from!) : null

/** A cron expression in words, for example `At 18:00, Monday through Friday (Europe/London)`. */
export function describeCron(cron: string, timeZone: string): string {
  const [min, hour, dom, month, dow] = parseCron(cron).fields as [Item[], Item[], Item[], Item[], Item[]]
  let time: string
  const mins = plain(min)
  const hours = plain(hour)
  if (mins && hours && mins.length * hours.length <= 6) {
    const times = hours.flatMap((h) => mins.map((m) => h * 60 + m)).sort((a, b) => a - b)
    time = `At ${join(times.map((t) => `${pad(Math.floor(t / 60))}:${pad(t % 60)}`))}`
  } else {
    const minuteWords = isAny(min)
      ? 'Every minute'
      : mins
        ? `At minute ${join(mins.map(String))}`
        : min.length === 1 && min[0]!.from === null
          ? `Every ${min[0]!.step} minutes`
          : `At ${join(min.map((x) => itemWords(x, String, 'minute')))}`
    const hourWords = isAny(hour)
      ? mins
        ? ' of every hour'
        : ''
      : hours
        ? `, during hour ${join(hours.map(pad))}`
        : hour.length === 1 && hour[0]!.to !== null && hour[0]!.step === null
          ? `, between ${pad(hour[0]!.from!)}:00 and ${pad(hour[0]!.to)}:59`
          : `, ${join(hour.map((x) => itemWords(x, pad, 'hour')))}`
    time = minuteWords + hourWords
  }
  const days: string[] = []
  const domWords = isAny(dom)
    ? null
    : `on day ${join(dom.map((x) => itemWords(x, String, 'day')))} of the month`
  const dowWords = isAny(dow) ? null : `on ${join(dow.map((x) => itemWords(x, (d) => DAY_WORDS[d]!, 'day')))}`
  // Standard cron: with both day fields restricted, a day matching either one runs.
  if (domWords && dowWords) days.push(`${domWords} or ${dowWords}`)
  else if (domWords ?? dowWords) days.push((domWords ?? dowWords)!)
  if (!isAny(month))
    days.push(`in ${join(month.map((x) => itemWords(x, (m) => MONTH_WORDS[m - 1]!, 'month')))}`)
  return `${[time, ...days].join(', ')} (${timeZone})`
}

function durationWords(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
  ]
  for (const [size, unit] of units) {
    if (ms % size === 0) {
      const n = ms / size
      return n === 1 ? unit : `${n} ${unit}s`
    }
  }
  return `${Math.round(ms / 1000)} seconds`
}

/** A schedule in words. */
export function describeSchedule(schedule: Schedule): string {
  if (schedule.type === 'cron') return describeCron(schedule.cron, schedule.timeZone)
  return `Every ${durationWords(schedule.everyMs)}`
}
