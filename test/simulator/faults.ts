/**
 * Fault injection: what can go wrong between a client and the exchange, decided per request.
 *
 * Faults come from two places. Programmed faults ("fail the next N requests of this kind this
 * way") are consumed first, in the order they were queued; then probabilistic rules roll a seeded
 * generator in request order, so a run with the same seed and the same request sequence sees the
 * same faults. At most one fault applies to a request; added latency stacks on top of it.
 *
 * Fault kinds, and what the client observes:
 * - `timeout`            held for `hold` ms without being processed, then the connection is
 *                        closed: the client times out and nothing happened.
 * - `timeout-exec`       held for `hold` ms, then processed (the order IS created, late) and the
 *                        answer written if the client is still there: the client times out, yet
 *                        it happened. Clients must reconcile (query by clientOrderId).
 * - `429`, `418`         rate limited / IP banned, Binance's -1003 body and a Retry-After header;
 *                        not processed.
 * - `500`, `502`, `503`  gateway-style failure with an HTML body; not processed. `5xx` in a spec
 *                        picks one of the three at random.
 * - `drop-after-accept`  processed (the order IS created), then the socket is destroyed before
 *                        any response byte: the client sees a connection reset.
 * - `reset`              the socket is destroyed before processing: nothing happened.
 * - `duplicate`          the request is processed twice, as if delivered twice; the client gets
 *                        the first answer. A repeated newClientOrderId makes the copy fail with
 *                        -2010 "Duplicate order sent.", so no second order appears.
 * - `partial`            (createOrder only) the immediately matched part of the order is cut to
 *                        `partial-fraction`; a limit order rests with the rest, a market order
 *                        ends EXPIRED.
 *
 * FAULT SPEC grammar (the CLI's --faults and `FaultController.set(string)`):
 *
 *   spec     := entry ("," entry)*
 *   entry    := [scope ":"] key "=" value
 *   scope    := a request kind (createOrder, getOrder, cancelOrder, cancelAll, cancelReplace,
 *               openOrders, allOrders, account, myTrades, klines, depth, ticker24hr, tickerPrice,
 *               bookTicker, exchangeInfo, time, ping, aggTrades, trades, avgPrice, tradeFee,
 *               testOrder) | "public" | "private" | "order" | "*"        (default "*")
 *   key      := fault kind (above, or "5xx")   value = probability in [0, 1]
 *             | "latency"                      value = ms | min "-" max  (uniform, added to
 *                                                       every request in scope)
 *             | "hold"                         value = ms a timeout holds (default 15000, longer
 *                                                       than ccxt's default 10 s timeout)
 *             | "retry-after"                  value = seconds for Retry-After (default 1)
 *             | "partial-fraction"             value = (0, 1), default 0.5
 *
 *   e.g. "latency=50,timeout=0.02,429=0.05,5xx=0.05,drop-after-accept=0.05"
 *        "order:latency=20-80,createOrder:duplicate=0.1,hold=2000"
 *
 * Rules are tried in the order written; the first whose roll hits decides the fault.
 */
import { SeqRng } from './rng'

export const FAULT_KINDS = [
  'timeout',
  'timeout-exec',
  '429',
  '418',
  '500',
  '502',
  '503',
  'drop-after-accept',
  'reset',
  'duplicate',
  'partial',
] as const
export type FaultKind = (typeof FAULT_KINDS)[number]

export interface FaultRule {
  scope: string
  fault: FaultKind | '5xx'
  probability: number
}

export interface LatencyRule {
  scope: string
  minMs: number
  maxMs: number
}

export interface FaultSpec {
  rules?: FaultRule[]
  latency?: LatencyRule[]
  holdMs?: number
  retryAfterS?: number
  partialFraction?: number
}

/** A fault decided for one request, with its parameters. */
export interface Fault {
  kind: FaultKind
  holdMs: number
  retryAfterS: number
  fraction: number
}

/** Options for a programmed fault. */
export interface FaultOptions {
  holdMs?: number
  retryAfterS?: number
  fraction?: number
}

/** Request kinds each scope word covers besides the kind itself. */
export interface KindInfo {
  kind: string
  groups: readonly string[]
}

const DEFAULT_HOLD_MS = 15_000
const DEFAULT_RETRY_AFTER_S = 1
const DEFAULT_PARTIAL_FRACTION = 0.5
const PARTIAL_KINDS = ['createOrder', 'cancelReplace']

const inScope = (scope: string, k: KindInfo): boolean =>
  scope === '*' || scope === k.kind || k.groups.includes(scope)

function number(text: string, entry: string): number {
  const n = Number(text)
  if (text.trim() === '' || !Number.isFinite(n) || n < 0)
    throw new Error(`fault spec: bad number in "${entry}"`)
  return n
}

/** Parses the FAULT SPEC grammar above; throws with the offending entry on any mistake. */
export function parseFaultSpec(text: string): FaultSpec {
  const spec: Required<Pick<FaultSpec, 'rules' | 'latency'>> & FaultSpec = { rules: [], latency: [] }
  for (const raw of text.split(',')) {
    const entry = raw.trim()
    if (entry === '') continue
    const eq = entry.indexOf('=')
    if (eq < 0) throw new Error(`fault spec: "${entry}" is not key=value`)
    const left = entry.slice(0, eq).trim()
    const value = entry.slice(eq + 1).trim()
    const colon = left.indexOf(':')
    const scope = colon >= 0 ? left.slice(0, colon).trim() : '*'
    const key = colon >= 0 ? left.slice(colon + 1).trim() : left
    if (scope === '') throw new Error(`fault spec: empty scope in "${entry}"`)
    if (key === 'latency') {
      const [a, b] = value.split('-')
      const minMs = number(a ?? '', entry)
      const maxMs = b === undefined ? minMs : number(b, entry)
      if (maxMs < minMs) throw new Error(`fault spec: latency range reversed in "${entry}"`)
      spec.latency.push({ scope, minMs, maxMs })
    } else if (key === 'hold' || key === 'retry-after' || key === 'partial-fraction') {
      if (scope !== '*') throw new Error(`fault spec: "${key}" cannot be scoped ("${entry}")`)
      const n = number(value, entry)
      if (key === 'hold') spec.holdMs = n
      else if (key === 'retry-after') spec.retryAfterS = n
      else {
        if (!(n > 0 && n < 1)) throw new Error(`fault spec: partial-fraction must be in (0, 1) ("${entry}")`)
        spec.partialFraction = n
      }
    } else if (key === '5xx' || (FAULT_KINDS as readonly string[]).includes(key)) {
      const probability = number(value, entry)
      if (probability > 1) throw new Error(`fault spec: probability above 1 in "${entry}"`)
      spec.rules.push({ scope, fault: key as FaultKind | '5xx', probability })
    } else {
      throw new Error(`fault spec: unknown key "${key}" in "${entry}"`)
    }
  }
  return spec
}

interface Programmed {
  scope: string
  kind: FaultKind | 'latency'
  remaining: number
  options: FaultOptions & { ms?: number }
}

/** Decides faults per request; tests and the CLI configure it. */
export class FaultController {
  private spec: FaultSpec = {}
  private queue: Programmed[] = []
  private readonly rng: SeqRng

  constructor(seed: number, spec?: FaultSpec | string) {
    this.rng = new SeqRng(seed ^ 0x0fa17)
    if (spec !== undefined) this.set(spec)
  }

  /** Replaces the probabilistic rules (a spec object or the grammar above). */
  set(spec: FaultSpec | string): void {
    this.spec = typeof spec === 'string' ? parseFaultSpec(spec) : { ...spec }
  }

  current(): FaultSpec {
    return this.spec
  }

  /** Removes the probabilistic rules and every programmed fault. */
  clear(): void {
    this.spec = {}
    this.queue = []
  }

  /** Makes the next `count` requests in `scope` fail with `kind`. */
  next(scope: string, kind: FaultKind, count = 1, options: FaultOptions = {}): void {
    this.queue.push({ scope, kind, remaining: count, options })
  }

  /** Adds `ms` of latency to the next `count` requests in `scope` (on top of any fault). */
  delayNext(scope: string, ms: number, count = 1): void {
    this.queue.push({ scope, kind: 'latency', remaining: count, options: { ms } })
  }

  /** Programmed faults not yet consumed. */
  pending(): number {
    return this.queue.reduce((n, p) => n + p.remaining, 0)
  }

  private fault(kind: FaultKind, o: FaultOptions = {}): Fault {
    return {
      kind,
      holdMs: o.holdMs ?? this.spec.holdMs ?? DEFAULT_HOLD_MS,
      retryAfterS: o.retryAfterS ?? this.spec.retryAfterS ?? DEFAULT_RETRY_AFTER_S,
      fraction: o.fraction ?? this.spec.partialFraction ?? DEFAULT_PARTIAL_FRACTION,
    }
  }

  private take(k: KindInfo, latency: boolean): Programmed | undefined {
    const i = this.queue.findIndex(
      (p) =>
        (p.kind === 'latency') === latency &&
        inScope(p.scope, k) &&
        (p.kind !== 'partial' || PARTIAL_KINDS.includes(k.kind)),
    )
    const p = this.queue[i]
    if (!p) return undefined
    if (--p.remaining <= 0) this.queue.splice(i, 1)
    return p
  }

  decide(k: KindInfo): { fault?: Fault; latencyMs: number; programmed: boolean } {
    let latencyMs = 0
    for (const l of this.spec.latency ?? []) {
      if (inScope(l.scope, k)) latencyMs += l.minMs + this.rng.next() * (l.maxMs - l.minMs)
    }
    const delay = this.take(k, true)
    if (delay) latencyMs += delay.options.ms ?? 0
    const programmed = this.take(k, false)
    if (programmed && programmed.kind !== 'latency') {
      return { fault: this.fault(programmed.kind, programmed.options), latencyMs, programmed: true }
    }
    for (const rule of this.spec.rules ?? []) {
      if (!inScope(rule.scope, k)) continue
      if (rule.fault === 'partial' && !PARTIAL_KINDS.includes(k.kind)) continue
      if (this.rng.next() >= rule.probability) continue
      const kind: FaultKind =
        rule.fault === '5xx' ? ((['500', '502', '503'] as const)[this.rng.int(0, 2)] ?? '500') : rule.fault
      return { fault: this.fault(kind), latencyMs, programmed: false }
    }
    return { latencyMs, programmed: false }
  }
}
