/**
 * What the simulator saw: one record per HTTP request (including faulted and unknown ones),
 * with the time spent inside the simulator, so tests can count calls per endpoint and the
 * engine's benchmark can subtract simulator time from what it measured.
 */
export interface RequestRecord {
  seq: number
  /** Simulator time the request arrived. */
  at: number
  method: string
  path: string
  kind: string
  /** Parameters as received (query and body together). */
  params: Record<string, string>
  /** Parameters the endpoint did not read (ignored, as Binance ignores unknown ones). */
  unread: string[]
  apiKey?: string
  fault?: string
  /** HTTP status written, or undefined when the connection was dropped instead. */
  status?: number
  /** Binance error code of the answer, when it was an error. */
  code?: number
  /** Every time the handler ran (twice for a duplicated delivery): HTTP status and error code. */
  runs: Array<{ status: number; code?: number }>
  outcome: 'ok' | 'error' | 'faulted'
  /** Wall time from arrival to the response (or drop), injected delays included, in µs. */
  simTimeUs: number
  /** Time spent processing (parsing, auth, matching, serialising), delays excluded, in µs. */
  workUs: number
}

export interface KindCounts {
  total: number
  ok: number
  error: number
  faulted: number
}

export interface TimingSummary {
  count: number
  totalUs: number
  meanUs: number
  p50Us: number
  p99Us: number
  maxUs: number
}

function summarise(values: number[]): TimingSummary {
  const sorted = [...values].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0
  const totalUs = sorted.reduce((a, b) => a + b, 0)
  return {
    count: sorted.length,
    totalUs,
    meanUs: sorted.length ? totalUs / sorted.length : 0,
    p50Us: at(0.5),
    p99Us: at(0.99),
    maxUs: sorted[sorted.length - 1] ?? 0,
  }
}

export class RequestLog {
  private records: RequestRecord[] = []
  private counts = new Map<string, KindCounts>()
  private seq = 0

  /** Keeps the last `limit` records; counts cover every request since the last reset. */
  constructor(private readonly limit = 20_000) {}

  add(r: Omit<RequestRecord, 'seq'>): RequestRecord {
    const rec = { ...r, seq: ++this.seq }
    this.records.push(rec)
    if (this.records.length > this.limit) this.records.splice(0, this.records.length - this.limit)
    const c = this.counts.get(r.kind) ?? { total: 0, ok: 0, error: 0, faulted: 0 }
    c.total++
    c[r.outcome]++
    this.counts.set(r.kind, c)
    return rec
  }

  all(filter: { kind?: string } = {}): RequestRecord[] {
    return this.records.filter((r) => filter.kind === undefined || r.kind === filter.kind)
  }

  countsByKind(): Record<string, KindCounts> {
    return Object.fromEntries([...this.counts].map(([k, c]) => [k, { ...c }]))
  }

  /** Timing over the kept records (all kinds, or one). */
  timing(kind?: string): { sim: TimingSummary; work: TimingSummary } {
    const rs = this.all(kind === undefined ? {} : { kind })
    return { sim: summarise(rs.map((r) => r.simTimeUs)), work: summarise(rs.map((r) => r.workUs)) }
  }

  reset(): void {
    this.records = []
    this.counts = new Map()
  }
}
