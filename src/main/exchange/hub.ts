import { apiUrlProblem } from '../../shared/contract/api-url'
import type { Connection, ExchangeHealth, KeysRemoved } from '../../shared/contract/exchange'
import { AppError } from '../../shared/contract/errors'
import { credentialList } from '../../shared/domain/credentials'
import type { Clock } from '../clock'
import type { Logger } from '../log'
import { serialised, type SecretStore } from '../secrets/store'
import type { Db } from '../storage/database'
import {
  catalogEntry,
  exchangeCatalog,
  loadCcxt,
  restClass,
  type CatalogEntry,
  type CcxtModule,
} from './ccxt-loader'
import {
  addressOf,
  deleteKeys,
  describeAddress,
  loadKeys,
  maskedKeyId,
  protectKeys,
  sameAddress,
  saveKeys,
  type ExchangeKeys,
  type KeysAddress,
} from './keys'
import {
  defaultConnection,
  listConnections,
  readConnection,
  sourceOf,
  writeConnection,
  type ConnectionConfig,
} from './schema'
import { ExchangeConnection, type ConnectionOptions } from './connection'

export interface HubDeps {
  db: Db
  clock: Clock
  log: Logger
  secrets: SecretStore
  /** ccxt, loaded on first use (tests may pass their own loader). */
  loadCcxt?: () => Promise<CcxtModule>
  connectionOptions?: ConnectionOptions
}

export type HealthListener = (exchange: string, stateChanged: boolean) => void

/**
 * Names the account that trades live through an exchange's connection with its live switch on,
 * or null. The trading domain answers it (the engine wires it with `guardUncheckedKeys`): keys
 * that did not check are never put under a switched-on live account.
 */
export type LiveAccountOn = (exchange: string) => string | null

export type ConnectionPatch = Partial<Omit<ConnectionConfig, 'exchange' | 'maskedKey'>>

export function toConnection(c: ConnectionConfig): Connection {
  return { ...c, source: sourceOf(c) }
}

/** Why a connection's keys went with a change of its address, in the words the app shows. */
function addressChanged(exchange: string, before: ConnectionConfig, after: ConnectionConfig): string {
  return `The API keys stored for ${exchange} were removed: the connection now goes to ${describeAddress(exchange, addressOf(after))} instead of ${describeAddress(exchange, addressOf(before))}, and keys are only ever sent to the address they were entered for. Enter them again for the new address.`
}

/**
 * The exchanges in use: one `ExchangeConnection` per exchange id, made on first use from its stored connection
 * settings and API keys, remade when those change. Health changes of every connection fan out to the
 * listeners (the `exchange.healthUpdates` stream).
 */
export class ExchangeHub {
  /** Connections being made or made, by exchange id; `ready` holds those made. */
  private readonly opened = new Map<string, Promise<ExchangeConnection>>()
  private readonly ready = new Map<string, ExchangeConnection>()
  /** Connections whose clock offset Health is measuring now (`refreshClockSkews`). */
  private readonly measuring = new Set<string>()
  private readonly listeners = new Set<HealthListener>()
  /** Changes to connections and keys, one at a time: a slow key check must not undo a newer URL. */
  private readonly changes = serialised()
  private liveAccountOn: LiveAccountOn = () => null

  constructor(private readonly deps: HubDeps) {}

  ccxt(): Promise<CcxtModule> {
    return (this.deps.loadCcxt ?? loadCcxt)()
  }

  /** An exchange's stored connection settings (its defaults when none are stored). */
  connectionConfig(exchange: string): ConnectionConfig {
    return readConnection(this.deps.db, exchange) ?? defaultConnection(exchange)
  }

  /** The stored settings of every configured connection. */
  connections(): Connection[] {
    return listConnections(this.deps.db).map(toConnection)
  }

  /** Throws `not_found` for an id ccxt does not know. */
  async assertExchange(exchange: string): Promise<CcxtModule> {
    const ccxt = await this.ccxt()
    restClass(ccxt, exchange)
    return ccxt
  }

  /** Every exchange's name and required credentials: built once (about a second), then from memory. */
  async catalog(): Promise<ReadonlyMap<string, CatalogEntry>> {
    const ccxt = await this.ccxt()
    return exchangeCatalog(ccxt, (ms, count) =>
      this.deps.log.info(`exchange catalog: ${count} exchanges in ${Math.round(ms)} ms`),
    )
  }

  /** One exchange's name and required credentials (`not_found` for an unknown id), without building the catalog. */
  async describe(exchange: string): Promise<CatalogEntry> {
    const ccxt = await this.assertExchange(exchange)
    return catalogEntry(ccxt, exchange)
  }

  /** Lets the trading domain say which live account is switched on over a connection (see `LiveAccountOn`). */
  guardUncheckedKeys(check: LiveAccountOn): void {
    this.liveAccountOn = check
  }

  /**
   * Refuses a key set that lacks a credential the exchange requires, naming the first missing
   * one (`params.password`: "OKX needs the API passphrase too ..."), before anything is sent.
   */
  async assertCredentials(exchange: string, keys: ExchangeKeys): Promise<void> {
    const { name, credentials } = await this.describe(exchange)
    const missing = credentials.filter((c) => keys[c] === undefined || keys[c] === '')
    if (missing.length === 0) return
    const first = missing[0]!
    throw new AppError(
      'validation',
      `${name} API keys consist of the ${credentialList(credentials)}: enter the ${credentialList(missing, credentials)} too.`,
      `params.${first}`,
    )
  }

  private async makeConnection(
    config: ConnectionConfig,
    keys: ExchangeKeys | null,
    withHealth: boolean,
  ): Promise<ExchangeConnection> {
    const ccxt = await this.assertExchange(config.exchange)
    // A URL stored before the rule (or written by hand) is held to it too: no request goes there.
    const problem = config.apiUrl === null ? null : apiUrlProblem(config.apiUrl)
    if (problem !== null) {
      throw new AppError(
        'validation',
        `The API URL of ${config.exchange} (${config.apiUrl}) is not allowed: ${problem}. Set another one (exchange.configure).`,
        'params.apiUrl',
      )
    }
    try {
      return new ExchangeConnection(config, keys, {
        ccxt,
        clock: this.deps.clock,
        log: this.deps.log,
        ...(this.deps.connectionOptions ? { options: this.deps.connectionOptions } : {}),
        ...(withHealth ? { onHealth: (id: string, changed: boolean) => this.emit(id, changed) } : {}),
      })
    } catch (err) {
      if (err instanceof AppError) throw err
      const what = err instanceof Error ? err.message : String(err)
      throw new AppError('validation', `${config.exchange} cannot be set up this way: ${what}`)
    }
  }

  /** The connection of an exchange, made on first use. */
  connection(exchange: string): Promise<ExchangeConnection> {
    let v = this.opened.get(exchange)
    if (!v) {
      v = (async () => {
        const config = this.connectionConfig(exchange)
        let keys: ExchangeKeys | null = null
        if (config.maskedKey !== null) {
          try {
            keys = await loadKeys(this.deps.secrets, exchange, addressOf(config))
          } catch (err) {
            this.deps.log.warn(`exchange ${exchange}: API keys not loaded; public data only`, err)
          }
        }
        const connection = await this.makeConnection(config, keys, true)
        this.ready.set(exchange, connection)
        return connection
      })()
      this.opened.set(exchange, v)
      v.catch(() => this.opened.delete(exchange))
    }
    return v
  }

  private async replaceConnection(exchange: string): Promise<void> {
    const old = this.opened.get(exchange)
    this.opened.delete(exchange)
    this.ready.delete(exchange)
    if (old) await old.then((v) => v.close()).catch(() => undefined)
  }

  /**
   * Changes how an exchange is reached. A change of address (the API URL, or sandbox mode without
   * one) removes its stored keys: the row's new address and its missing key are written in one
   * statement, so the keys are never sent to the new address, and the stored secret is deleted
   * after (if that fails, it is an orphan nothing reads: the row says there are no keys, and
   * `loadKeys` refuses keys at any address but their own).
   */
  configure(
    exchange: string,
    patch: ConnectionPatch,
  ): Promise<{ connection: Connection; keysRemoved: KeysRemoved[] }> {
    return this.changes(async () => {
      await this.assertExchange(exchange)
      const before = this.connectionConfig(exchange)
      const next: ConnectionConfig = { ...before }
      for (const [k, v] of Object.entries(patch))
        if (v !== undefined) (next as unknown as Record<string, unknown>)[k] = v
      const moved = !sameAddress(addressOf(before), addressOf(next))
      const dropKeys = moved && before.maskedKey !== null
      if (dropKeys) next.maskedKey = null
      // Made once to prove ccxt accepts it (sandbox URLs exist, ...), before anything is stored.
      await (await this.makeConnection(next, null, false)).close()
      writeConnection(this.deps.db, next, this.deps.clock.now())
      const keysRemoved: KeysRemoved[] = []
      if (dropKeys) {
        await this.deleteStoredKeys(exchange)
        keysRemoved.push({ exchange, reason: addressChanged(exchange, before, next) })
      }
      await this.replaceConnection(exchange)
      return { connection: toConnection(next), keysRemoved }
    })
  }

  /**
   * Removes the stored keys of a connection its live account leaves (it now trades elsewhere),
   * writing `alongside` (the account's own change) in the same transaction as the key's removal.
   * Returns what `alongside` returned, and whether keys were removed.
   */
  dropKeysWith<T>(
    exchange: string,
    reason: string,
    alongside: () => T,
  ): Promise<{ result: T; keysRemoved: KeysRemoved[] }> {
    return this.changes(async () => {
      const config = readConnection(this.deps.db, exchange)
      const drop = config !== null && config.maskedKey !== null
      const result = this.deps.db.transaction(() => {
        if (drop) writeConnection(this.deps.db, { ...config, maskedKey: null }, this.deps.clock.now())
        return alongside()
      })()
      if (!drop) return { result, keysRemoved: [] }
      await this.deleteStoredKeys(exchange)
      await this.replaceConnection(exchange)
      return { result, keysRemoved: [{ exchange, reason }] }
    })
  }

  /** Deletes a connection's secret after its row says it has none; a failure leaves an orphan nothing reads. */
  private async deleteStoredKeys(exchange: string): Promise<void> {
    try {
      await deleteKeys(this.deps.secrets, exchange)
    } catch (err) {
      this.deps.log.warn(`exchange ${exchange}: removed keys not deleted from the secret store`, err)
    }
  }

  /**
   * Checks a key set with one signed request (`fetchBalance`) at the address the connection would
   * have with `patch` applied, through a connection of its own; stores and changes nothing. The
   * exchange's refusal is `auth_failed`; an exchange that cannot be reached says so, and then
   * nothing was learnt about the keys. Answers with the round trip.
   */
  async probeKeys(
    exchange: string,
    keys: ExchangeKeys,
    patch: { apiUrl?: string | null | undefined } = {},
  ): Promise<{ latencyMs: number }> {
    protectKeys(keys)
    await this.assertExchange(exchange)
    await this.assertCredentials(exchange, keys)
    const config = this.connectionConfig(exchange)
    const next: ConnectionConfig = patch.apiUrl === undefined ? config : { ...config, apiUrl: patch.apiUrl }
    return this.signedCheck(next, keys)
  }

  private async signedCheck(config: ConnectionConfig, keys: ExchangeKeys): Promise<{ latencyMs: number }> {
    const probe = await this.makeConnection(config, keys, false)
    try {
      const started = performance.now()
      await probe.call('fetchBalance', (ex) => ex.fetchBalance(), { signed: true })
      return { latencyMs: Math.round(performance.now() - started) }
    } finally {
      await probe.close()
    }
  }

  /**
   * Stores API keys and puts them to use. They are registered for redaction before anything else
   * happens to them, and must hold every credential the exchange requires. How they were checked
   * is the caller's explicit choice: `true` checks them here first with a signed request
   * (`fetchBalance`) and stores nothing if it fails; `checkedFor` says the caller has just checked
   * them (`probeKeys`) for that address, which must still be the connection's; `false` stores
   * them unchecked, which is refused while a live account on the connection has its switch on.
   */
  setKeys(
    exchange: string,
    keys: ExchangeKeys,
    check: boolean | { checkedFor: KeysAddress },
  ): Promise<{ maskedKey: string; verified: boolean }> {
    protectKeys(keys)
    return this.changes(async () => {
      await this.assertExchange(exchange)
      await this.assertCredentials(exchange, keys)
      const config = this.connectionConfig(exchange)
      let verified = check === true
      if (check === true) {
        await this.signedCheck(config, keys)
      } else if (check === false) {
        const live = this.liveAccountOn(exchange)
        if (live !== null) {
          const { name } = await this.describe(exchange)
          throw new AppError(
            'conflict',
            `“${live}” trades live on ${name} with live trading switched on, so new keys for it must be checked before they are stored. Check them, or switch its live trading off first.`,
            'params.verify',
          )
        }
      } else {
        if (!sameAddress(check.checkedFor, addressOf(config))) {
          throw new AppError(
            'conflict',
            `The keys were checked with ${describeAddress(exchange, check.checkedFor)}, and the connection now goes to ${describeAddress(exchange, addressOf(config))}: they were not stored. Enter them again.`,
            'params.apiUrl',
          )
        }
        verified = true
      }
      // Bound to the address they are entered (and checked) for: used nowhere else.
      await saveKeys(this.deps.secrets, exchange, keys, addressOf(config))
      const maskedKey = maskedKeyId(keys)
      writeConnection(this.deps.db, { ...config, maskedKey }, this.deps.clock.now())
      await this.replaceConnection(exchange)
      return { maskedKey, verified }
    })
  }

  /**
   * One signed request (`fetchBalance`) with the stored keys, through a connection of its own, as
   * `setKeys` checks new ones: the exchange's answer, not the state of the connection in use (whose
   * breaker may be open after earlier failures).
   */
  async checkKeys(exchange: string): Promise<{ maskedKey: string; latencyMs: number }> {
    await this.assertExchange(exchange)
    const config = this.connectionConfig(exchange)
    if (config.maskedKey === null) {
      throw new AppError('not_found', `No API keys are stored for ${exchange}: add them to an account first.`)
    }
    let keys: ExchangeKeys | null
    try {
      keys = await loadKeys(this.deps.secrets, exchange, addressOf(config))
    } catch (err) {
      if (err instanceof AppError) throw err
      this.deps.log.warn(`exchange ${exchange}: stored API keys could not be read`, err)
      throw new AppError(
        'unavailable',
        `The API keys stored for ${exchange} could not be read from this machine's secret store: ${err instanceof Error ? err.message : String(err)}`,
      )
    }
    if (keys === null) {
      throw new AppError(
        'not_found',
        `The API keys of ${exchange} are missing from the secret store: enter them again.`,
      )
    }
    const { latencyMs } = await this.signedCheck(config, keys)
    return { maskedKey: config.maskedKey, latencyMs }
  }

  removeKeys(exchange: string): Promise<boolean> {
    return this.changes(async () => {
      await this.assertExchange(exchange)
      const removed = await deleteKeys(this.deps.secrets, exchange)
      const config = readConnection(this.deps.db, exchange)
      if (config && config.maskedKey !== null)
        writeConnection(this.deps.db, { ...config, maskedKey: null }, this.deps.clock.now())
      await this.replaceConnection(exchange)
      return removed || (config?.maskedKey ?? null) !== null
    })
  }

  /**
   * Measures the clock offset of every connection in use whose measurement is missing or older
   * than `maxAgeMs` (signed requests measure it themselves; a connection used only for prices
   * never would), so Health can show it. Failures are left to the connection's own health.
   * Null when none is due.
   */
  refreshClockSkews(maxAgeMs = 10 * 60_000): Promise<void> | null {
    const now = this.deps.clock.now()
    const due = [...this.ready.values()].filter((c) => {
      const h = c.health()
      const skew = h.clockSkew
      return (
        c.exchange.has['fetchTime'] === true &&
        h.samples > 0 &&
        h.state === 'closed' &&
        (skew === null || now - skew.measuredAt > maxAgeMs) &&
        !this.measuring.has(c.id)
      )
    })
    if (due.length === 0) return null
    for (const c of due) this.measuring.add(c.id)
    return Promise.all(
      due.map(async (c) => {
        try {
          await c.measureClockSkew(3)
        } catch (err) {
          this.deps.log.info(`exchange ${c.id}: clock offset not measured for Health`, err)
        } finally {
          this.measuring.delete(c.id)
        }
      }),
    ).then(() => undefined)
  }

  /** Health of the connections made so far (or of one). */
  health(exchange?: string): ExchangeHealth[] {
    const connections =
      exchange === undefined
        ? [...this.ready.values()]
        : [this.ready.get(exchange)].filter((v) => v !== undefined)
    return connections.map((v) => v.health()).sort((a, b) => a.exchange.localeCompare(b.exchange))
  }

  onHealth(listener: HealthListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private emit(exchange: string, stateChanged: boolean): void {
    for (const l of [...this.listeners]) {
      try {
        l(exchange, stateChanged)
      } catch (err) {
        this.deps.log.error('health listener failed', err)
      }
    }
  }

  async close(): Promise<void> {
    const all = [...this.opened.values()]
    this.opened.clear()
    this.ready.clear()
    this.listeners.clear()
    await Promise.all(all.map((v) => v.then((x) => x.close()).catch(() => undefined)))
  }
}
