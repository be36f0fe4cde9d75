/** What a column (CSV header cell or JSON key) holds. */
export type PriceRole = 'open' | 'high' | 'low' | 'close' | 'volume'
export type Role = 'time' | 'date' | 'clock' | PriceRole

/**
 * Names are compared case-insensitively with spaces, `_`, `-`, `.` and `<>` removed, so
 * `Open time`, `open_time`, `<OPEN>` and `OPEN` all match. Everything else (`Adj Close`,
 * `OpenInterest`, `Close time`, `index`) is ignored. `Date` and `Time` are special: together
 * they are a date plus a time of day (as many brokers export); alone, either is the bar time.
 */
const NAMES: Record<string, Role> = {
  timestamp: 'time',
  datetime: 'time',
  opentime: 'time',
  ts: 'time',
  t: 'time',
  unix: 'time',
  unixtime: 'time',
  time: 'clock',
  date: 'date',
  open: 'open',
  o: 'open',
  high: 'high',
  h: 'high',
  low: 'low',
  l: 'low',
  close: 'close',
  c: 'close',
  volume: 'volume',
  vol: 'volume',
  v: 'volume',
}

export const normaliseName = (name: string): string => name.toLowerCase().replace(/[\s_\-.<>"']/g, '')

export const roleOf = (name: string): Role | undefined => NAMES[normaliseName(name)]

/** Where each role lives: column indexes for CSV, keys for JSON objects. */
export interface RoleMap<K> {
  /** The bar time; absent when the file has none (or only `date` + `clock`). */
  time?: K
  /** A date column read together with `clock` (a time of day), as `Date,Time,...` files need. */
  date?: K
  clock?: K
  open?: K
  high?: K
  low?: K
  close?: K
  volume?: K
}

export interface RoleConflict {
  role: Role
  first: string
  second: string
}

/**
 * Maps names to roles. An unnamed first column (pandas' `,Open,High,...`) is the time when no
 * other column is. Returns the first role named twice as a conflict, since guessing which
 * `Close` is meant would import the wrong prices.
 */
export function mapRoles<K>(
  entries: readonly (readonly [K, string])[],
  unnamedFirstIsTime: boolean,
): { roles: RoleMap<K>; conflict?: RoleConflict } {
  const roles: RoleMap<K> = {}
  const names = new Map<Role, string>()
  for (const [key, name] of entries) {
    const role = roleOf(name)
    if (!role) continue
    const seen = names.get(role)
    if (seen !== undefined) return { roles, conflict: { role, first: seen, second: name } }
    names.set(role, name)
    roles[role] = key
  }
  // A lone `Date` or a lone `Time` is the bar time; only the pair is date + time of day.
  if (roles.time === undefined) {
    if (roles.date !== undefined && roles.clock === undefined) {
      roles.time = roles.date
      delete roles.date
    } else if (roles.clock !== undefined && roles.date === undefined) {
      roles.time = roles.clock
      delete roles.clock
    }
  } else {
    delete roles.date
    delete roles.clock
  }
  const first = entries[0]
  if (
    unnamedFirstIsTime &&
    first &&
    first[1].trim() === '' &&
    roles.time === undefined &&
    roles.date === undefined
  ) {
    roles.time = first[0]
  }
  return { roles }
}

export const hasTime = <K>(r: RoleMap<K>): boolean => r.time !== undefined || r.date !== undefined

export const missingPrices = <K>(r: RoleMap<K>): PriceRole[] =>
  (['open', 'high', 'low', 'close'] as const).filter((role) => r[role] === undefined)
