import { AppError } from '../../shared/contract/errors'

/** One round trip to the exchange's time endpoint, all in ms since the epoch on our clock except `server`. */
export interface SkewSample {
  /** Our clock when the request left. */
  sent: number
  /** Our clock when the answer arrived. */
  received: number
  /** The exchange's clock, as it answered. */
  server: number
}

export interface SkewEstimate {
  /** Exchange clock minus ours (positive: the exchange is ahead of us). */
  offsetMs: number
  rttMs: number
  /** Half the round trip: the server read its clock somewhere inside it. */
  uncertaintyMs: number
  samples: number
}

/**
 * NTP-style estimate: assume the server read its clock at the midpoint of the round trip, so
 * `offset = server - (sent + received) / 2`, good to within `rtt / 2`. Of several samples the one
 * with the shortest round trip is the most trustworthy, and is the one used.
 *
 * Hand-computed: sent 1000, received 1100, server 5050 -> midpoint 1050, offset +4000, rtt 100, ±50.
 */
export function estimateSkew(samples: readonly SkewSample[]): SkewEstimate {
  if (samples.length === 0) throw new Error('estimateSkew needs at least one sample')
  let best = samples[0]!
  for (const s of samples) if (s.received - s.sent < best.received - best.sent) best = s
  const rtt = best.received - best.sent
  return {
    offsetMs: best.server - (best.sent + best.received) / 2,
    rttMs: rtt,
    uncertaintyMs: rtt / 2,
    samples: samples.length,
  }
}

/**
 * How far the timestamp of a signed request may be from the exchange's clock: with adjustment on
 * we sign with `our clock + offset`, leaving only the estimate's uncertainty; with it off, the
 * whole offset plus the uncertainty.
 */
export function effectiveSkew(estimate: SkewEstimate, adjusted: boolean): number {
  return adjusted ? estimate.uncertaintyMs : Math.abs(estimate.offsetMs) + estimate.uncertaintyMs
}

/**
 * Exchanges refuse a timestamp that is more than `recvWindow` behind their clock, and most (Binance
 * among them) also one more than about a second ahead of it.
 */
export const MAX_AHEAD_MS = 1_000

/** Whether a signed request would land inside the exchange's window. */
export function withinWindow(estimate: SkewEstimate, adjusted: boolean, recvWindowMs: number): boolean {
  // Signing with the exchange's clock leaves only the estimate's own error, which is symmetric.
  if (adjusted) return estimate.uncertaintyMs < recvWindowMs
  // Our timestamp minus the exchange's clock, at worst.
  const aheadBy = -estimate.offsetMs + estimate.uncertaintyMs
  const behindBy = estimate.offsetMs + estimate.uncertaintyMs
  return aheadBy < MAX_AHEAD_MS && behindBy < recvWindowMs
}

function seconds(ms: number): string {
  return `${(Math.abs(ms) / 1000).toFixed(1)} s`
}

/** The clear refusal for a signed request that would fall outside the window. */
export function skewError(
  exchange: string,
  estimate: SkewEstimate,
  adjusted: boolean,
  recvWindowMs: number,
): AppError {
  const direction = estimate.offsetMs < 0 ? 'ahead of' : 'behind'
  const fix = adjusted
    ? 'The network round trip is too slow to sign reliably; try again later.'
    : 'Synchronise the system clock, or turn on "adjust for time difference" for this exchange.'
  return new AppError(
    'unavailable',
    `Refusing to sign a request to ${exchange}: this computer's clock is ${seconds(estimate.offsetMs)} ${direction} the exchange's ` +
      `(±${Math.round(estimate.uncertaintyMs)} ms), outside its ${seconds(recvWindowMs)} recvWindow. ${fix}`,
  )
}
