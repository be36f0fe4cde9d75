/**
 * Wilder's true range: the bar's range extended to the previous close. Equal, bit for bit, to
 * TA-Lib's TRUE_RANGE (the largest of high-low, |high-prevClose|, |low-prevClose|).
 */
export function trueRange(high: number, low: number, prevClose: number): number {
  const top = high > prevClose ? high : prevClose
  const bottom = low < prevClose ? low : prevClose
  return top - bottom
}
