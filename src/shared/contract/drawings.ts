import { z } from 'zod'
import { command } from './define'

/**
 * The trader's chart drawings. A drawing is anchored in (time, price), never in bars or pixels,
 * so the same drawing shows on every timeframe of its series; it belongs to a series as the chart
 * names it (source and symbol). Ids are the renderer's, so that undoing a delete saves the very
 * same drawing again.
 */

/** The most drawings one series keeps. */
export const MAX_DRAWINGS_PER_SERIES = 1000

const series = {
  source: z.string().min(1).max(64),
  symbol: z.string().min(1).max(64),
}

export const drawingIdSchema = z
  .string()
  .min(1, 'a drawing needs an id')
  .max(64, 'at most 64 characters')
  .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only')

/** One anchor: an instant (epoch ms, UTC) and a price on the chart's own scale. */
export const drawingPointSchema = z
  .object({
    time: z.number().int().min(0).max(8_640_000_000_000),
    price: z.number().finite(),
  })
  .strict()
export type DrawingPoint = z.infer<typeof drawingPointSchema>

const one = z.tuple([drawingPointSchema])
const two = z.tuple([drawingPointSchema, drawingPointSchema])
const id = drawingIdSchema

export const drawingSchema = z.discriminatedUnion('kind', [
  /** A horizontal line across the whole chart at its point's price. */
  z.object({ id, kind: z.literal('hline'), points: one }).strict(),
  /** A horizontal line from its point to the right. */
  z.object({ id, kind: z.literal('hray'), points: one }).strict(),
  /** A segment between two points. */
  z.object({ id, kind: z.literal('trend'), points: two }).strict(),
  /** A rectangle with two opposite corners. */
  z.object({ id, kind: z.literal('rect'), points: two }).strict(),
  /** Fibonacci retracement from the first point (level 1) to the second (level 0). */
  z.object({ id, kind: z.literal('fib'), points: two }).strict(),
  /** A text note at its point. */
  z
    .object({
      id,
      kind: z.literal('note'),
      points: one,
      text: z.string().trim().min(1, 'a note needs text').max(500, 'at most 500 characters'),
    })
    .strict(),
])
export type Drawing = z.infer<typeof drawingSchema>
export type DrawingKind = Drawing['kind']

export const drawingsContract = {
  'drawings.list': command({
    description: "A series' drawings (every timeframe's), oldest first.",
    params: z.object(series).strict(),
    result: z.array(drawingSchema),
  }),
  'drawings.save': command({
    description:
      'Stores a drawing of a series: a new one, or the one with its id replaced (a move, an edit, an undone delete).',
    params: z.object({ ...series, drawing: drawingSchema }).strict(),
    result: drawingSchema,
  }),
  'drawings.delete': command({
    description: 'Deletes a drawing of a series.',
    params: z.object({ ...series, id }).strict(),
    result: z.object({ deleted: z.boolean() }),
  }),
}
