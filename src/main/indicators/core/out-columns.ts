import { AppError } from '../../../shared/contract/errors'
import { outputColumn } from './streaming'

/**
 * Output columns the caller provides (`out`), as TA-Lib's C functions write into the caller's
 * buffers: a parameter sweep over one series, or a chart recomputed on every bar, can reuse its
 * columns instead of allocating new ones per call (a fresh 8 MB column is also fresh memory to
 * page in: 0.1 to 2 ms per 1M bars on the machines we measured, more than some indicators take).
 *
 * Each column must have one slot per bar and share memory with no input and no other output:
 * the loops read inputs after writing outputs, and some park intermediate values in an output.
 * After an error, what the columns hold is unspecified.
 */
export function outColumns<K extends string>(
  indicator: string,
  keys: readonly K[],
  n: number,
  inputs: readonly Float64Array[],
  out: Record<K, Float64Array> | undefined,
): Record<K, Float64Array> {
  if (out === undefined) {
    const fresh = {} as Record<K, Float64Array>
    for (const key of keys) fresh[key] = outputColumn(n)
    return fresh
  }
  keys.forEach((key, i) => {
    const others = [...inputs, ...keys.slice(0, i).map((k) => out[k])]
    checkColumn(indicator, `out.${key}`, out[key], n, others)
  })
  return out
}

/** One output column: `out` checked as `outColumns` does, or a fresh column. */
export function outColumn(
  indicator: string,
  n: number,
  inputs: readonly Float64Array[],
  out: Float64Array | undefined,
): Float64Array {
  if (out === undefined) return outputColumn(n)
  checkColumn(indicator, 'out', out, n, inputs)
  return out
}

function checkColumn(
  indicator: string,
  field: string,
  column: unknown,
  n: number,
  others: readonly Float64Array[],
): void {
  if (!(column instanceof Float64Array)) {
    throw new AppError('validation', `${indicator}: ${field} must be a Float64Array`, field)
  }
  if (column.length !== n) {
    throw new AppError(
      'validation',
      `${indicator}: ${field} has ${column.length} slots for ${n} bars; it needs exactly one per bar`,
      field,
    )
  }
  if (others.some((other) => overlaps(column, other))) {
    throw new AppError(
      'validation',
      `${indicator}: ${field} shares memory with an input or another output; give it a column of its own`,
      field,
    )
  }
}

function overlaps(a: Float64Array, b: Float64Array): boolean {
  if (a.buffer !== b.buffer) return false
  return a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength
}
