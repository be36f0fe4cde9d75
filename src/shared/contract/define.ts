import type { z } from 'zod'

/** A request -> response pair. */
export interface CommandDef<P extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  readonly kind: 'command'
  readonly description: string
  readonly params: P
  readonly result: R
}

/** A subscription: params once, then events until either side ends it. */
export interface StreamDef<P extends z.ZodType = z.ZodType, E extends z.ZodType = z.ZodType> {
  readonly kind: 'stream'
  readonly description: string
  readonly params: P
  readonly event: E
}

export const command = <P extends z.ZodType, R extends z.ZodType>(def: {
  description: string
  params: P
  result: R
}): CommandDef<P, R> => ({ kind: 'command', ...def })

export const stream = <P extends z.ZodType, E extends z.ZodType>(def: {
  description: string
  params: P
  event: E
}): StreamDef<P, E> => ({ kind: 'stream', ...def })

export type DomainContract = Record<string, CommandDef | StreamDef>
