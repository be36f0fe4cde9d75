import { randomBytes } from 'node:crypto'
import {
  CLIENT_ORDER_ID_PATTERN,
  clientOrderIdGenerator as generator,
} from '../../shared/domain/client-order-id'

export { CLIENT_ORDER_ID_PATTERN }

/** The engine's client order ids (see shared/domain/client-order-id.ts), from node's random bytes. */
export function clientOrderIdGenerator(
  now: () => number,
  prefix = 'cw-',
  random: (bytes: number) => Uint8Array = randomBytes,
): () => string {
  return generator(now, random, prefix)
}
