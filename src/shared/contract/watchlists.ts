import { z } from 'zod'
import { command, stream } from './define'

const id = z.number().int().positive()
const name = z.string().trim().min(1, 'a watchlist needs a name').max(60, 'at most 60 characters')
const item = { source: z.string().min(1).max(64), symbol: z.string().min(1).max(64) }

export const watchlistItemSchema = z.object(item)
export type WatchlistItem = z.infer<typeof watchlistItemSchema>

export const watchlistSchema = z.object({
  id,
  name: z.string(),
  /** In the trader's order. */
  items: z.array(watchlistItemSchema),
})
export type Watchlist = z.infer<typeof watchlistSchema>

const lists = z.array(watchlistSchema)

export const watchlistsContract = {
  'watchlists.list': command({
    description: "Every named watchlist with its symbols, in the trader's order.",
    params: z.object({}).strict(),
    result: lists,
  }),
  'watchlists.create': command({
    description: 'A new empty watchlist, last in the order. Names are unique, ignoring case.',
    params: z.object({ name }).strict(),
    result: watchlistSchema,
  }),
  'watchlists.rename': command({
    description: 'Renames a watchlist.',
    params: z.object({ id, name }).strict(),
    result: watchlistSchema,
  }),
  'watchlists.delete': command({
    description: 'Deletes a watchlist and its items.',
    params: z.object({ id }).strict(),
    result: z.object({ deleted: z.boolean() }),
  }),
  'watchlists.addItem': command({
    description: 'Adds a symbol at the end of a watchlist (nothing changes if it is there already).',
    params: z.object({ id, ...item }).strict(),
    result: watchlistSchema,
  }),
  'watchlists.removeItem': command({
    description: 'Removes a symbol from a watchlist.',
    params: z.object({ id, ...item }).strict(),
    result: watchlistSchema,
  }),
  'watchlists.moveItem': command({
    description: 'Moves a symbol of a watchlist to position `to` (0 first; past the end means last).',
    params: z.object({ id, ...item, to: z.number().int().min(0) }).strict(),
    result: watchlistSchema,
  }),
  'watchlists.updates': stream({
    description: 'Every watchlist, whole, after each change from any window or script.',
    params: z.object({}).strict(),
    event: lists,
  }),
}
