import type { CatchUp, Schedule } from '../../shared/contract/scheduler'

/** What a run is given: why it runs, when it was due, and a signal that aborts it when the engine closes. */
export interface RunContext {
  readonly signal: AbortSignal
  /** When the run was due (ms); for a caught-up run, the last missed one. */
  readonly scheduledFor: number
  readonly now: number
  /** The task's time zone (a daily summary's "day" is the task's). */
  readonly timeZone: string
}

/**
 * A kind of recurring work, registered by the domain that owns it: its task is stored once per
 * kind, with the defaults below until the trader changes them. `run` answers what it did, in
 * words (the run's message), or throws (the run is `failed`, its error's message recorded).
 * Work that takes CPU time must send it to the compute pool: runs share the main thread.
 */
export interface TaskKind {
  /** Stable id, the task's id (`candle-backfill`). */
  readonly kind: string
  readonly label: string
  /** What it does, in words. */
  readonly about: string
  readonly defaults: { schedule: Schedule; enabled: boolean; catchUp: CatchUp }
  run(ctx: RunContext): Promise<string>
  /**
   * Told when the trader switches the task on: a kind whose result must reach the trader sets up
   * what delivers it (the daily P&L summary makes sure an alert on job summaries exists).
   */
  onEnabled?(): Promise<void>
}

/**
 * Kinds reserved for later issues (their domains register them when they exist): the scheduler
 * knows the names so no one else takes them. Backups run on a schedule; strategies start and stop
 * on one (a `strategy-start`/`strategy-stop` kind per the strategy domain's own rules).
 */
export const LATER_KINDS = ['backup', 'strategy-start', 'strategy-stop'] as const

/** The kinds registered, by id. Registering one after the scheduler started arms its task at once. */
export class TaskKinds {
  private readonly byId = new Map<string, TaskKind>()
  private listener: ((k: TaskKind) => void) | null = null

  register(kind: TaskKind): () => void {
    if (!/^[a-z][a-z0-9-]{0,63}$/.test(kind.kind)) throw new Error(`Bad task kind id "${kind.kind}"`)
    if (this.byId.has(kind.kind)) throw new Error(`Task kind "${kind.kind}" registered twice`)
    this.byId.set(kind.kind, kind)
    this.listener?.(kind)
    return () => {
      if (this.byId.get(kind.kind) === kind) this.byId.delete(kind.kind)
    }
  }

  get(id: string): TaskKind | undefined {
    return this.byId.get(id)
  }

  all(): TaskKind[] {
    return [...this.byId.values()]
  }

  /** The scheduler's hook: told of each kind registered from now on. */
  onRegister(listener: ((k: TaskKind) => void) | null): void {
    this.listener = listener
  }
}
