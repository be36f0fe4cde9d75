import type { WebSocket } from 'ws'
import { CLOSE_SLOW_READER, type ServerMessage } from '../../shared/rpc/wire'
import { estimateJsonBytes, jsonPieces } from './json-chunks'

export interface OutboxLimits {
  /**
   * Bytes waiting in the socket past which nothing more is written to it (default 8 MiB):
   * messages wait in the outbox instead, where stream events can be coalesced.
   */
  softBytes?: number
  /**
   * Bytes waiting in the socket and the outbox together (the answer being written aside) past
   * which the peer is cut off (default 64 MiB): it asks for more than it reads, and that must
   * not grow the host's memory.
   */
  hardBytes?: number
  /** Cut off a peer that has had data waiting past `softBytes` and read none of it for this long (default 10 s). */
  stallMs?: number
  /**
   * Answers estimated above this (default 8 MiB, about 40 ms of JSON.stringify here) are written
   * in fragments, serialized piece by piece between turns of the event loop; smaller ones are
   * stringified in one go, which is faster end to end.
   */
  wholeBytes?: number
  /** The size of those fragments (default 1 MiB). */
  fragmentBytes?: number
  /** How long a cut-off peer has to take the close frame before the socket is destroyed (default 2 s). */
  closeGraceMs?: number
}

const DEFAULTS = {
  softBytes: 8 << 20,
  hardBytes: 64 << 20,
  stallMs: 10_000,
  wholeBytes: 8 << 20,
  fragmentBytes: 1 << 20,
  closeGraceMs: 2_000,
} satisfies Required<OutboxLimits>

/** The longest the writer runs before it lets the event loop serve others. */
const SLICE_MS = 10

interface Item {
  message: ServerMessage
  /** Estimated (large answers) or exact size of its JSON. */
  bytes: number
  /** Serialized already (small messages), else written in pieces when its turn comes. */
  text: string | null
}

/**
 * Everything the host sends on one WebSocket, with backpressure. While the socket has less
 * than `softBytes` waiting, messages go straight out. Past it, they wait here: an event with a
 * coalescing key replaces the waiting one of the same subscription and key (the latest tick,
 * forming bar or order book is what a trader wants), and everything else keeps its place. While
 * anything waits here the peer is "behind" (`onBehind`) and the transport takes no new requests
 * from it: a peer gets new work only once its earlier answers are on their way. When the socket
 * drains, the backlog goes out in order. A peer that lets more than `hardBytes` pile up, or
 * reads nothing for `stallMs`, is closed with 4008 and a reason: it is not reading, and its
 * backlog must not grow the host's memory.
 *
 * Answers above `wholeBytes` are written as fragments of one WebSocket message, serialized a
 * piece at a time and yielding to the event loop between slices, so that a 50 MB answer neither
 * blocks the host for a quarter of a second nor exists whole in memory as a string.
 */
export class Outbox {
  private readonly limits: Required<OutboxLimits>
  /** Waiting messages in send order; coalescible events under their key, others under a unique one. */
  private readonly queue = new Map<string, Item>()
  private queuedBytes = 0
  private seq = 0
  /** The large answer being written in fragments, if any. */
  private current: Generator<string, void, undefined> | null = null
  private scheduled = false
  /** The socket has `softBytes` or more waiting: writing stops until it drains. */
  private congested = false
  private behind = false
  private stallTimer: ReturnType<typeof setTimeout> | null = null
  private closed = false

  constructor(
    private readonly socket: WebSocket,
    limits: OutboxLimits = {},
    /** Told when the peer falls behind (true: messages wait here) and catches up (false). */
    private readonly onBehind: (behind: boolean) => void = () => {},
    /** Told when the peer is cut off (the socket is closing), with why. */
    private readonly onCutOff: (reason: string) => void = () => {},
  ) {
    this.limits = { ...DEFAULTS, ...stripUndefined(limits) }
  }

  /**
   * Bytes waiting: in the socket and (estimated) in the queue. The answer being written is not
   * counted: it goes out at the peer's pace, and the stall timer handles a peer with no pace.
   */
  get backlogBytes(): number {
    return this.socket.bufferedAmount + this.queuedBytes
  }

  /** Whether messages wait here (the socket is full, or the writer has not reached them yet). */
  get isBehind(): boolean {
    return this.behind
  }

  send(message: ServerMessage, coalesce?: string | null): void {
    if (this.closed || this.socket.readyState !== this.socket.OPEN) return
    // Only answers can be large (a stream event is one tick, one bar, one book).
    const estimate = message.type === 'result' ? estimateJsonBytes(message.result) : 0
    const text = estimate > this.limits.wholeBytes ? null : encode(message)
    if (text === undefined) return
    const bytes = text === null ? estimate : text.length
    if (this.queue.size === 0 && this.current === null && !this.congested && text !== null) {
      this.write(text, true) // the common case: nothing waiting, a small message
      if (this.socket.bufferedAmount >= this.limits.softBytes) this.setCongested(true)
      this.updateBehind()
      return
    }
    const key =
      message.type === 'heartbeat'
        ? 'heartbeat' // one waiting is as good as many
        : message.type === 'event' && coalesce != null
          ? `e${message.id}\u0000${coalesce}`
          : `#${this.seq++}`
    const replaced = this.queue.get(key)
    if (replaced) {
      this.queuedBytes -= replaced.bytes
      this.queue.delete(key) // re-inserted at the end: after the events it now follows
    }
    this.queue.set(key, { message, bytes, text })
    this.queuedBytes += bytes
    if (this.backlogBytes > this.limits.hardBytes) {
      this.cutOff(
        `more than ${mib(this.limits.hardBytes)} MiB waited to be sent to this connection: it does not read what it asks for`,
      )
      return
    }
    this.updateBehind()
    this.schedule()
  }

  /** Drops the backlog; nothing more is sent. */
  close(): void {
    if (this.closed) return
    this.closed = true
    this.queue.clear()
    this.queuedBytes = 0
    this.current?.return()
    this.current = null
    this.clearStall()
  }

  private schedule(): void {
    if (this.scheduled || this.closed) return
    this.scheduled = true
    setImmediate(() => {
      this.scheduled = false
      this.pump()
    })
  }

  /** Writes what is waiting until the socket is full, the time slice is up, or nothing is left. */
  private pump(): void {
    const started = performance.now()
    while (!this.closed && this.socket.readyState === this.socket.OPEN) {
      // Past the soft bound a write callback resumes the pump once the socket drains.
      this.setCongested(this.socket.bufferedAmount >= this.limits.softBytes)
      if (this.congested) break
      if (performance.now() - started > SLICE_MS) {
        this.schedule()
        break
      }
      if (this.current) {
        this.writeFragment()
        continue
      }
      const next = this.queue.entries().next()
      if (next.done) break
      const [key, item] = next.value
      this.queue.delete(key)
      this.queuedBytes -= item.bytes
      if (item.text !== null) this.write(item.text, true)
      else this.current = jsonPieces(item.message)
    }
    this.updateBehind()
  }

  private writeFragment(): void {
    const current = this.current!
    // Joined once: a string grown piece by piece is a rope that ws would flatten anyway.
    const parts: string[] = []
    let length = 0
    let done = false
    try {
      while (length < this.limits.fragmentBytes) {
        const next = current.next()
        if (next.done) {
          done = true
          break
        }
        parts.push(next.value)
        length += next.value.length
      }
    } catch {
      // Half a message is out: the stream cannot be mended, only ended.
      this.cutOff('an answer could not be encoded as JSON', 1011)
      return
    }
    if (done) this.current = null
    this.write(parts.join(''), done)
  }

  private write(text: string, fin: boolean): void {
    this.socket.send(text, { fin }, () => this.written())
  }

  /** A write reached the kernel: the peer is reading. */
  private written(): void {
    if (this.closed) return
    if (this.stallTimer) this.armStall() // progress: the stall clock starts again
    if (this.congested && this.socket.bufferedAmount < this.limits.softBytes) this.schedule()
  }

  private setCongested(on: boolean): void {
    if (on === this.congested) return
    this.congested = on
    if (on) this.armStall()
    else this.clearStall()
  }

  private updateBehind(): void {
    const behind = !this.closed && (this.congested || this.queue.size > 0 || this.current !== null)
    if (behind === this.behind) return
    this.behind = behind
    this.onBehind(behind)
  }

  private armStall(): void {
    this.clearStall()
    this.stallTimer = setTimeout(() => {
      this.cutOff(
        `this connection read nothing of the ${mib(this.socket.bufferedAmount)} MiB waiting for it in ${this.limits.stallMs / 1000} s`,
      )
    }, this.limits.stallMs)
    this.stallTimer.unref?.()
  }

  private clearStall(): void {
    if (this.stallTimer) clearTimeout(this.stallTimer)
    this.stallTimer = null
  }

  private cutOff(reason: string, code = CLOSE_SLOW_READER): void {
    this.close()
    this.onCutOff(reason)
    // The close frame waits behind the backlog, which a peer that does not read never reaches:
    // the socket (and the megabytes it holds) goes soon after, not at ws's 30 s handshake timeout.
    this.socket.close(code, closeReason(`Closed: ${reason}`))
    setTimeout(() => this.socket.terminate(), this.limits.closeGraceMs).unref()
  }
}

/**
 * A small message as JSON. An answer that JSON cannot hold (a BigInt, a cycle: a handler's bug)
 * still settles its call, as `internal`; such an event is dropped (undefined).
 */
function encode(message: ServerMessage): string | undefined {
  try {
    return JSON.stringify(message)
  } catch {
    if (message.type !== 'result') return undefined
    const error = { kind: 'internal', message: 'The answer could not be encoded as JSON' } as const
    return JSON.stringify({ type: 'result', id: message.id, result: { ok: false, error } })
  }
}

function mib(bytes: number): string {
  return (bytes / (1 << 20)).toFixed(bytes >= 10 << 20 ? 0 : 1)
}

/** A close reason must fit in 123 bytes of UTF-8 (ws throws otherwise); longer ones are cut. */
export function closeReason(reason: string): string {
  if (Buffer.byteLength(reason) <= 123) return reason
  let cut = reason.slice(0, 120)
  while (Buffer.byteLength(`${cut}...`) > 123) cut = cut.slice(0, -1)
  return `${cut}...`
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>
}
