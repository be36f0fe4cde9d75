import { formatIssuePath, type AppErrorShape } from '../../shared/contract/errors'
import { clientMessageSchema, type ClientMessage } from '../../shared/rpc/wire'

/**
 * What a frame from a peer turns out to be:
 * - `message`: a well-formed client message;
 * - `invalid`: malformed, but it carries a usable call id, so it is answered with a
 *   `validation` error naming the field (a `result` for an invoke, an `end` for a subscribe);
 * - `unanswerable`: no usable id (or not an object at all): nothing can be sent back that the
 *   peer could match to what it waits for. The transport decides (the WebSocket closes, 1007).
 */
export type Inbound =
  | { kind: 'message'; message: ClientMessage }
  | { kind: 'invalid'; id: number; answer: 'result' | 'end'; error: AppErrorShape }
  | { kind: 'unanswerable'; reason: string }

export function readClientMessage(raw: unknown): Inbound {
  const parsed = clientMessageSchema.safeParse(raw)
  if (parsed.success) return { kind: 'message', message: parsed.data }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { kind: 'unanswerable', reason: 'a message must be a JSON object with "type" and "id"' }
  }
  const { id, type } = raw as { id?: unknown; type?: unknown }
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) {
    return {
      kind: 'unanswerable',
      reason: `"id" must be a whole number from 0 to ${Number.MAX_SAFE_INTEGER}, got ${describe(id)}`,
    }
  }
  // An unsubscribe with a usable id always parses; any other type is answered like a call,
  // which is what a peer that sends an id expects.
  const answer = type === 'subscribe' ? 'end' : 'result'
  if (type !== 'invoke' && type !== 'subscribe' && type !== 'unsubscribe') {
    return {
      kind: 'invalid',
      id,
      answer,
      error: field('type', `must be "invoke", "subscribe" or "unsubscribe", got ${describe(type)}`),
    }
  }
  const issue = parsed.error.issues[0]
  const path = issue ? formatIssuePath(issue.path) : ''
  const value = path === '' ? undefined : (raw as Record<string, unknown>)[path]
  const message =
    path === 'params' && value === undefined
      ? 'required: send {} when there are none'
      : (issue?.message ?? 'invalid value')
  return { kind: 'invalid', id, answer, error: field(path || 'message', message) }
}

function field(path: string, message: string): AppErrorShape {
  return { kind: 'validation', message: `${path}: ${message}`, path }
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing'
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 40 ? `${text.slice(0, 40)}...` : text
}
