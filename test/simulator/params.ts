import { parseUnits, type Units } from './decimal'
import { BinanceError, err } from './errors'

const INT_PATTERN = /^-?[0-9]{1,20}$/
const CLIENT_ID_PATTERN = /^[a-zA-Z0-9-_]{1,36}$/

/**
 * Request parameters, read the way Binance reads them: from the query string and the
 * form-encoded body together, a name sent twice is an error (-1101), a mandatory one missing or
 * empty is -1102, malformed numbers are -1100 and over-precise decimals -1111. Every read is
 * remembered so the request log can show which parameters the simulator did not use.
 */
export class Params {
  private readonly read = new Set<string>()

  constructor(
    private readonly map: ReadonlyMap<string, string>,
    private readonly lists: ReadonlyMap<string, string[]> = new Map(),
  ) {}

  /** `repeated`: names the endpoint takes once per value (sapi's asset/dust: `asset=A&asset=B`). */
  static parse(query: string, body: string, repeated: readonly string[] = []): Params {
    const map = new Map<string, string>()
    const lists = new Map<string, string[]>()
    for (const text of [query, body]) {
      for (const [k, v] of new URLSearchParams(text)) {
        if (repeated.includes(k)) {
          lists.set(k, [...(lists.get(k) ?? []), v])
          if (!map.has(k)) map.set(k, v)
          continue
        }
        if (map.has(k)) throw err.duplicateParam()
        map.set(k, v)
      }
    }
    return new Params(map, lists)
  }

  /** Every value of a repeated name, in the order sent (empty when absent). */
  repeats(name: string): string[] {
    this.read.add(name)
    return this.lists.get(name) ?? []
  }

  entries(): Record<string, string> {
    return Object.fromEntries(this.map)
  }

  unread(): string[] {
    return [...this.map.keys()].filter((k) => !this.read.has(k) && k !== 'signature')
  }

  has(name: string): boolean {
    const v = this.map.get(name)
    return v !== undefined && v !== ''
  }

  str(name: string): string | undefined {
    this.read.add(name)
    const v = this.map.get(name)
    return v === undefined || v === '' ? undefined : v
  }

  reqStr(name: string): string {
    const v = this.str(name)
    if (v === undefined) throw err.mandatory(name)
    return v
  }

  int(name: string): number | undefined {
    const v = this.str(name)
    if (v === undefined) return undefined
    if (!INT_PATTERN.test(v)) throw err.illegalChars(name, '^[0-9]{1,20}$')
    return Number(v)
  }

  reqInt(name: string): number {
    const v = this.int(name)
    if (v === undefined) throw err.mandatory(name)
    return v
  }

  decimal(name: string): Units | undefined {
    const v = this.str(name)
    if (v === undefined) return undefined
    const u = parseUnits(v)
    if (u === 'precision') throw err.tooMuchPrecision(name)
    if (u === undefined) throw err.illegalChars(name, '^([0-9]{1,20})(\\.[0-9]{1,20})?$')
    return u
  }

  oneOf<T extends string>(name: string, values: readonly T[], invalid: () => BinanceError): T | undefined {
    const v = this.str(name)
    if (v === undefined) return undefined
    if (!(values as readonly string[]).includes(v)) throw invalid()
    return v as T
  }

  clientId(name: string): string | undefined {
    const v = this.str(name)
    if (v !== undefined && !CLIENT_ID_PATTERN.test(v)) throw err.illegalChars(name, '^[a-zA-Z0-9-_]{1,36}$')
    return v
  }

  /** Binance's list syntax: symbols=["BTCUSDT","ETHUSDT"] (JSON array). */
  list(name: string): string[] | undefined {
    const v = this.str(name)
    if (v === undefined) return undefined
    try {
      const parsed: unknown = JSON.parse(v)
      if (Array.isArray(parsed) && parsed.every((x) => typeof x === 'string')) return parsed
    } catch {
      // fall through to the error below
    }
    throw err.illegalChars(name, '^\\[("[A-Z0-9-_.]{1,20}"(,"[A-Z0-9-_.]{1,20}"){0,}){0,1}\\]$')
  }
}
