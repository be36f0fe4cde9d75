import { sameApiUrl } from '../../shared/contract/api-url'
import { AppError } from '../../shared/contract/errors'
import type { KeysRemoved } from '../../shared/contract/exchange'
import { pickCredentials, type Credentials } from '../../shared/domain/credentials'
import type { Clock } from '../clock'
import type { ExchangeHub } from '../exchange/hub'
import type { Db } from '../storage/database'
import { listAccounts, saveAccount as storeAccount, type StoredAccount } from './store'
import type { TradingVenue } from './venue'

/** What of the exchange hub saving a live account uses (the service's `ExchangeConnections`). */
export type LiveConnections = Pick<
  ExchangeHub,
  'connectionConfig' | 'configure' | 'setKeys' | 'assertExchange' | 'dropKeysWith' | 'probeKeys' | 'checkKeys'
>

export interface LiveSaveParams extends Credentials {
  name: string
  exchangeId?: string | undefined
  apiUrl?: string | null | undefined
  liveEnabled?: boolean | undefined
  checkKeys?: boolean | undefined
}

export interface LiveSaveDeps {
  db: Db
  clock: Clock
  exchanges: LiveConnections | undefined
  /** The test seam standing in for the exchange (`TradingServiceOptions.liveVenue`). */
  liveVenue: ((account: StoredAccount) => TradingVenue | Promise<TradingVenue>) | undefined
}

/**
 * Creates or updates a live account (`trading.saveAccount`). It trades through the exchange
 * connection of its exchange id, one live account per connection; an API URL or keys given here are
 * the connection's (`ExchangeHub.configure`, `setKeys`: one place for keys, registered for redaction
 * and kept in the secret store under the exchange's name).
 *
 * The engine's two rules for keys, whatever the window did:
 * - New keys need the trader's choice, `checkKeys`: true checks them with one signed request at the
 *   address the account will have, before anything is written (a refusal or an unreachable
 *   exchange saves nothing); false stores them unchecked.
 * - Live trading is on only with keys that checked: turning it on sends one signed request first,
 *   with the keys it will trade with, and refuses with the reason if that fails (or if there are no
 *   keys); so does moving a switched-on account to another exchange's stored keys. New keys under a
 *   switched-on account must be checked. A new address that removes the keys leaves nothing to
 *   sign with, so the switch may stay on until keys that check are given.
 *
 * Keys never follow an account to a new address: a new API URL removes the connection's keys
 * (`ExchangeHub.configure`), and a live account moved to another exchange id removes the keys of
 * the connection it leaves, in the same transaction as the account's new exchange id. Keys given
 * in the same save replace what was removed; `keysRemoved` lists the rest.
 */
export async function saveLiveAccount(
  deps: LiveSaveDeps,
  id: string,
  existing: StoredAccount | undefined,
  p: LiveSaveParams,
): Promise<{ saved: StoredAccount; keysRemoved: KeysRemoved[] }> {
  const { db, clock, exchanges } = deps
  const keys = pickCredentials(p)
  const newKeys = Object.keys(keys).length > 0
  // `paper` (the contract's former default) means "not given" for a live account.
  const given = p.exchangeId !== undefined && p.exchangeId !== 'paper' ? p.exchangeId : undefined
  const exchangeId = given ?? (existing?.mode === 'live' ? existing.exchangeId : 'binance')
  const other = listAccounts(db).find((a) => a.mode === 'live' && a.exchangeId === exchangeId && a.id !== id)
  if (other) {
    throw new AppError(
      'conflict',
      `"${other.name}" already trades through the ${exchangeId} connection; one live account per exchange`,
      'params.exchangeId',
    )
  }
  if (newKeys && p.checkKeys === undefined) {
    throw new AppError(
      'validation',
      'Say whether to check the new keys with the exchange before they are stored (checkKeys: true) or to store them unchecked (checkKeys: false)',
      'params.checkKeys',
    )
  }
  if (!exchanges && (newKeys || p.apiUrl !== undefined)) {
    throw new AppError('unavailable', 'Live accounts need the exchange connections, which are not running')
  }
  if (exchanges) await exchanges.assertExchange(exchangeId)

  const liveAfter = p.liveEnabled ?? (existing?.mode === 'live' && existing.liveEnabled)
  const wasOn = existing?.mode === 'live' && existing.liveEnabled
  const connection = exchanges?.connectionConfig(exchangeId)
  // A URL written as given (even in another spelling), and one that moves the keys' address.
  const urlWritten = connection !== undefined && p.apiUrl !== undefined && connection.apiUrl !== p.apiUrl
  const urlChanges = urlWritten && !sameApiUrl(connection.apiUrl, p.apiUrl ?? null)
  // The keys the account trades with after this save: new ones, or the connection's, unless a new
  // address removes those.
  const keysAfter = newKeys || (connection !== undefined && connection.maskedKey !== null && !urlChanges)
  const prospective: StoredAccount = {
    id,
    name: p.name,
    mode: 'live',
    exchangeId,
    liveEnabled: liveAfter,
    createdAt: existing?.createdAt ?? clock.now(),
  }

  if (liveAfter && newKeys && p.checkKeys !== true) {
    throw new AppError(
      'validation',
      wasOn
        ? `Live trading is on for “${p.name}”: new keys must be checked (checkKeys: true), or switch live trading off first`
        : 'Live trading can only be switched on with keys that checked: check the new keys (checkKeys: true), or save them with live trading off',
      'params.liveEnabled',
    )
  }
  if (liveAfter && !wasOn && !keysAfter) {
    throw new AppError(
      'validation',
      urlChanges
        ? `A new API URL removes the keys stored for ${exchangeId}: enter keys for it, checked, to switch live trading on`
        : `No API keys are stored for ${exchangeId}: add keys that check before switching live trading on`,
      'params.liveEnabled',
    )
  }

  // The signed check, before anything is written: new keys the trader asked to check, and the
  // keys a switch turned on (or an account moved to another exchange while on) will trade with.
  let checkedFor: { apiUrl: string | null; sandbox: boolean } | null = null
  if (newKeys && p.checkKeys === true) {
    await signedCheck(deps, prospective, keys, p.apiUrl)
    if (connection)
      checkedFor = {
        apiUrl: p.apiUrl === undefined ? connection.apiUrl : p.apiUrl,
        sandbox: connection.sandbox,
      }
  } else if (liveAfter && keysAfter && (!wasOn || existing.exchangeId !== exchangeId)) {
    try {
      await signedCheck(deps, prospective, null, undefined)
    } catch (err) {
      throw liveStaysOff(err)
    }
  }

  // Switching off goes first: unchecked keys are never stored under a switched-on account.
  if (!liveAfter && existing?.mode === 'live' && existing.liveEnabled) {
    storeAccount(db, { ...existing, liveEnabled: false }, clock.now())
  }
  let keysRemoved: KeysRemoved[] = []
  if (exchanges) {
    if (urlWritten) keysRemoved = (await exchanges.configure(exchangeId, { apiUrl: p.apiUrl })).keysRemoved
    if (newKeys) {
      await exchanges.setKeys(exchangeId, keys, checkedFor !== null ? { checkedFor } : false)
      keysRemoved = keysRemoved.filter((k) => k.exchange !== exchangeId)
    }
  }
  const write = () =>
    storeAccount(db, { id, name: p.name, mode: 'live', exchangeId, liveEnabled: liveAfter }, clock.now())
  const leaves = existing?.mode === 'live' && existing.exchangeId !== exchangeId ? existing.exchangeId : null
  if (leaves !== null && exchanges) {
    const reason = `The API keys stored for ${leaves} were removed: “${p.name}” now trades on ${exchangeId} instead, and keys are only ever sent to the exchange they were entered for. Enter its ${exchangeId} keys.`
    const moved = await exchanges.dropKeysWith(leaves, reason, write)
    return { saved: moved.result, keysRemoved: [...keysRemoved, ...moved.keysRemoved] }
  }
  return { saved: write(), keysRemoved }
}

/**
 * One signed request (the balance) with the keys the account will trade with: `keys` at the
 * account's address after this save, or the connection's stored keys. Through the test seam, when
 * one stands in for the exchange.
 */
async function signedCheck(
  deps: LiveSaveDeps,
  account: StoredAccount,
  keys: Credentials | null,
  apiUrl: string | null | undefined,
): Promise<void> {
  if (deps.liveVenue) {
    await (await deps.liveVenue(account)).fetchBalance()
    return
  }
  if (!deps.exchanges) {
    throw new AppError('unavailable', 'Live accounts need the exchange connections, which are not running')
  }
  if (keys) await deps.exchanges.probeKeys(account.exchangeId, keys, { apiUrl })
  else await deps.exchanges.checkKeys(account.exchangeId)
}

/** A failed check of the stored keys, said as why live trading stays off. */
function liveStaysOff(err: unknown): AppError {
  if (!(err instanceof AppError))
    return new AppError('internal', 'Live trading stays off: the keys could not be checked')
  const why =
    err.kind === 'auth_failed'
      ? `Live trading stays off: ${err.message}`
      : `Live trading stays off: the keys could not be checked. ${err.message}`
  return new AppError(err.kind, why, 'params.liveEnabled', err.retryAfter)
}
