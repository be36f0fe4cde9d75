import { checkFinite, checkHl, checkHlc, checkVolume } from './validate'
import type { Cv, Hl, Hlc, Hlcv, Thlcv } from './types'

/**
 * The streaming form every indicator shares. `update` feeds one closed bar and commits it;
 * `preview` computes what `update` would return for a still-forming bar without changing any
 * state, so a live chart can call it on every tick. Both validate the bar first (a bad bar
 * throws and leaves the state untouched) and return NaN during warm-up.
 *
 * Subclasses implement `compute(input, commit)` on top of their numeric `step(...)`, which the
 * batch functions call in their loops: batch and streaming run the very same arithmetic.
 */
export abstract class StreamingIndicator<I, O> {
  /** Bars committed so far; also the index reported in validation errors. */
  protected bars = 0

  constructor(readonly name: string) {}

  protected abstract check(input: I, bar: number): void
  protected abstract compute(input: I, commit: boolean): O

  update(input: I): O {
    this.check(input, this.bars)
    const out = this.compute(input, true)
    this.bars++
    return out
  }

  preview(input: I): O {
    this.check(input, this.bars)
    return this.compute(input, false)
  }
}

/** Indicators of one number per bar (usually the close). */
export abstract class ValueIndicator<O = number> extends StreamingIndicator<number, O> {
  protected check(value: number, bar: number): void {
    checkFinite(this.name, 'value', value, bar)
  }
}

export abstract class HlIndicator<O = number> extends StreamingIndicator<Hl, O> {
  protected check(bar: Hl, i: number): void {
    checkHl(this.name, bar.high, bar.low, i)
  }
}

export abstract class HlcIndicator<O = number> extends StreamingIndicator<Hlc, O> {
  protected check(bar: Hlc, i: number): void {
    checkHlc(this.name, bar.high, bar.low, bar.close, i)
  }
}

export abstract class HlcvIndicator<O = number> extends StreamingIndicator<Hlcv, O> {
  protected check(bar: Hlcv, i: number): void {
    checkHlc(this.name, bar.high, bar.low, bar.close, i)
    checkVolume(this.name, bar.volume, i)
  }
}

export abstract class CvIndicator<O = number> extends StreamingIndicator<Cv, O> {
  protected check(bar: Cv, i: number): void {
    checkFinite(this.name, 'close', bar.close, i)
    checkVolume(this.name, bar.volume, i)
  }
}

export abstract class ThlcvIndicator<O = number> extends StreamingIndicator<Thlcv, O> {
  protected check(bar: Thlcv, i: number): void {
    checkFinite(this.name, 'time', bar.time, i)
    checkHlc(this.name, bar.high, bar.low, bar.close, i)
    checkVolume(this.name, bar.volume, i)
  }
}

/**
 * A fresh output column. Batch loops write every element, warm-up bars included (as NaN), so
 * the column is not pre-filled: filling 1M doubles costs as much as computing an SMA over them.
 */
export function outputColumn(n: number): Float64Array {
  return new Float64Array(n)
}
