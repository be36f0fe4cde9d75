import { z } from 'zod'
import { appErrorSchema } from '../contract/errors'

/**
 * The wire protocol shared by both transports (WebSocket frames of JSON, Electron IPC
 * messages). Ids are chosen by the client and unique per connection.
 */
const id = z.number().int().nonnegative()

export const clientMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('invoke'), id, name: z.string(), params: z.unknown() }),
  z.object({ type: z.literal('subscribe'), id, name: z.string(), params: z.unknown() }),
  z.object({ type: z.literal('unsubscribe'), id }),
])
export type ClientMessage = z.infer<typeof clientMessageSchema>

const resultSchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: appErrorSchema }),
])

export const serverMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('result'), id, result: resultSchema }),
  z.object({ type: z.literal('event'), id, event: z.unknown() }),
  /** A subscription is over: refused at subscribe (with error), failed, or ended by the server. */
  z.object({ type: z.literal('end'), id, error: appErrorSchema.optional() }),
])
export type ServerMessage = z.infer<typeof serverMessageSchema>
