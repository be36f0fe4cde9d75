import type { z } from 'zod'
import type { CommandDef, DomainContract, StreamDef } from './define'
import { alertsContract } from './alerts'
import { backtestContract } from './backtest'
import { backupContract } from './backup'
import { bookContract } from './book'
import { chartingContract } from './charting'
import { drawingsContract } from './drawings'
import { exchangeContract } from './exchange'
import { healthContract } from './health'
import { journalContract } from './journal'
import { journalFilesContract } from './journal-files'
import { marketContract } from './market'
import { riskContract } from './risk'
import { runnerContract } from './runner'
import { schedulerContract } from './scheduler'
import { settingsContract } from './settings'
import { signalsContract } from './signals'
import { systemContract } from './system'
import { tradingContract } from './trading'
import { watchlistsContract } from './watchlists'

/** Every command and stream of the engine, by name. Add a domain here and nowhere else. */
export const contract = {
  ...systemContract,
  ...marketContract,
  ...chartingContract,
  ...exchangeContract,
  ...tradingContract,
  ...signalsContract,
  ...healthContract,
  ...journalContract,
  ...journalFilesContract,
  ...alertsContract,
  ...schedulerContract,
  ...backtestContract,
  ...settingsContract,
  ...backupContract,
  ...riskContract,
  ...runnerContract,
  ...bookContract,
  ...watchlistsContract,
  ...drawingsContract,
} satisfies DomainContract

export type Contract = typeof contract
export type Name = keyof Contract

export type CommandName = { [K in Name]: Contract[K] extends CommandDef ? K : never }[Name]
export type StreamName = { [K in Name]: Contract[K] extends StreamDef ? K : never }[Name]

/** What a caller sends (defaults may be left out). */
export type ParamsIn<N extends Name> = z.input<Contract[N]['params']>
/** What a handler receives (defaults filled in). */
export type Params<N extends Name> = z.output<Contract[N]['params']>
export type ResultOf<N extends CommandName> =
  Contract[N] extends CommandDef<z.ZodType, infer R> ? z.output<R> : never
export type EventOf<N extends StreamName> =
  Contract[N] extends StreamDef<z.ZodType, infer E> ? z.output<E> : never

export const COMMAND_NAMES = Object.keys(contract).filter(
  (n) => contract[n as Name].kind === 'command',
) as CommandName[]
export const STREAM_NAMES = Object.keys(contract).filter(
  (n) => contract[n as Name].kind === 'stream',
) as StreamName[]

export const isCommandName = (n: string): n is CommandName => (COMMAND_NAMES as string[]).includes(n)
export const isStreamName = (n: string): n is StreamName => (STREAM_NAMES as string[]).includes(n)

export * from './define'
export * from './errors'
