/** The fields of a bar an indicator reads; a `Candle` satisfies all of them. */
export interface Hl {
  high: number
  low: number
}
export interface Hlc extends Hl {
  close: number
}
export interface Hlcv extends Hlc {
  volume: number
}
export interface Cv {
  close: number
  volume: number
}
export interface Thlcv extends Hlcv {
  /** Bar open time, ms since the epoch (UTC). */
  time: number
}
