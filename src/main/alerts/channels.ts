import { AppError } from '../../shared/contract/errors'
import type { Delivery, DeliveryInput } from '../../shared/contract/alerts'
import { registerSecret } from '../log'
import { maskKey } from '../secrets/mask'
import type { SecretStore } from '../secrets/store'

/** Where a channel's URL or bot token is kept: `alert:<id>:<place in the list>`. */
export const channelRef = (alertId: string, channel: number): string => `alert:${alertId}:${channel}`

/** What the UI shows for a webhook URL: its origin and the last characters of its path, never the rest. */
export function urlHint(value: string): string {
  const url = new URL(value)
  const path = url.pathname + url.search
  return path.length > 12 ? `${url.origin}/…${path.slice(-4)}` : `${url.origin}/…`
}

const secretOf = (d: DeliveryInput): string | undefined => (d.kind === 'telegram' ? d.botToken : d.url)

/**
 * Stores the channels' secrets and answers the channels as the row keeps them (hints). A channel
 * without its secret keeps the one stored at its place, if that channel was of the same kind;
 * otherwise it is refused, naming the field. Secrets beyond the new list are deleted.
 */
export async function storeChannels(
  secrets: SecretStore,
  alertId: string,
  inputs: readonly DeliveryInput[],
  before: readonly Delivery[],
): Promise<Delivery[]> {
  const out: Delivery[] = []
  const writes: [string, string][] = []
  for (const [i, d] of inputs.entries()) {
    const secret = secretOf(d)
    const field = d.kind === 'telegram' ? 'botToken' : 'url'
    let hint: string
    if (secret !== undefined) {
      hint = d.kind === 'telegram' ? maskKey(secret) : urlHint(secret)
      writes.push([channelRef(alertId, i), secret])
    } else if (before[i]?.kind === d.kind) {
      hint = before[i].hint
    } else {
      throw new AppError(
        'validation',
        `a ${d.kind} channel needs its ${field}`,
        `params.alert.deliveries[${i}].${field}`,
      )
    }
    out.push({
      kind: d.kind,
      hint,
      ...(d.kind === 'telegram' ? { chatId: d.chatId } : {}),
      ...(d.template !== undefined ? { template: d.template } : {}),
    })
  }
  for (const [ref, value] of writes) {
    registerSecret(value)
    await secrets.set(ref, value)
  }
  for (let i = inputs.length; i < before.length; i++) await secrets.delete(channelRef(alertId, i))
  return out
}

/** A channel's secret for sending, registered for redaction before anything can log it. */
export async function loadChannelSecret(
  secrets: SecretStore,
  alertId: string,
  channel: number,
): Promise<string | null> {
  const value = await secrets.get(channelRef(alertId, channel))
  if (value !== null) registerSecret(value)
  return value
}

export async function deleteChannels(secrets: SecretStore, alertId: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await secrets.delete(channelRef(alertId, i))
}
