import { z } from 'zod'
import { appErrorSchema } from '../contract/errors'

/**
 * The wire protocol shared by both transports (WebSocket frames of JSON, Electron IPC
 * messages). Ids are chosen by the client and unique per connection.
 */
const id = z.number().int().nonnegative()

/** How often the headless host says it is alive (see the `heartbeat` message). */
export const HEARTBEAT_MS = 15_000

/**
 * Why the headless host closed a WebSocket, besides the usual 1000/1001. The close reason says
 * the rest in words.
 *
 * - 1003: a binary frame; the protocol is JSON text.
 * - 1007: a frame the host cannot answer: not JSON, or without a usable `id` (a whole number
 *   from 0 to 2^53 - 1). Every frame that has one is answered, an error included, so a peer
 *   that sends one without is not speaking this protocol, and whatever it waits for would
 *   never come: closing tells it at once.
 * - 4008: the peer does not read what the host sends fast enough (too much waiting to be sent,
 *   or nothing read for a while). Nothing was lost that a new connection cannot ask for again.
 */
export const CLOSE_BINARY_FRAME = 1003
export const CLOSE_NOT_PROTOCOL = 1007
export const CLOSE_SLOW_READER = 4008

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
  /**
   * "Still here", sent by the headless host every `everyMs` whatever else it sends: a browser
   * that hears nothing for a few of these knows its socket is dead even if no close came (a
   * machine back from sleep, a changed network), which a browser cannot find out by itself.
   */
  z.object({ type: z.literal('heartbeat'), everyMs: z.number().int().positive() }),
])
export type ServerMessage = z.infer<typeof serverMessageSchema>
