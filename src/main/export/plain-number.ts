/**
 * A JavaScript number as plain decimal text (no exponent, `.` as the point): the digits of its
 * shortest round-trip form (`String(n)`), with the point moved, so reading the text gives the
 * same number back. `1.5e-7` → `0.00000015`, `2e+21` → `2000000000000000000000`.
 */
export function plainNumber(n: number): string {
  const s = String(n)
  const e = s.indexOf('e')
  if (e < 0) return s
  const sign = s.startsWith('-') ? '-' : ''
  const mantissa = s.slice(sign.length, e)
  const exp = Number(s.slice(e + 1))
  const dot = mantissa.indexOf('.')
  const digits = mantissa.replace('.', '')
  const point = (dot < 0 ? mantissa.length : dot) + exp
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length)
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`
}
