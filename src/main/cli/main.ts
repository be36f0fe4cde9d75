/**
 * `npm run cli -- <command> [options]`: the scripting face of the engine. Each command lives
 * in its own module and is loaded only when asked for.
 */
import { processIo, type CliCommand } from './io'

const COMMANDS: Record<string, { summary: string; load: () => Promise<CliCommand> }> = {
  backtest: {
    summary: 'Backtest a built-in strategy over a candle file or a stored series (--list-strategies)',
    load: async () => (await import('./backtest')).backtestCommand,
  },
  backup: {
    summary:
      'Back up the data folder (create, list), verify a backup, see what a restore changes, restore one',
    load: async () => (await import('./backup')).backupCommand,
  },
  export: {
    summary: 'Export fills or orders (journal trades once the journal lands) to a CSV file',
    load: async () => (await import('./export')).exportCommand,
  },
  'import-candles': {
    summary: 'Import a CSV or JSON candle file into the local store',
    load: async () => (await import('./import-candles')).importCandlesCommand,
  },
  'import-trades': {
    summary: 'Import trades (Candlework, Binance, ccxt or Tradervue files) into an imported account',
    load: async () => (await import('./import-trades')).importTradesCommand,
  },
  indicators: {
    summary: 'Compute indicators over a candle file and write one column per output',
    load: async () => (await import('./indicators')).indicatorsCommand,
  },
  'kill-switch': {
    summary: 'Halt all trading and cancel every open order (--close-positions: close every position too)',
    load: async () => (await import('./kill-switch')).killSwitchCommand,
  },
  logs: {
    summary: 'Print the engine log readably (--level, --since, --follow; --json for a bug report)',
    load: async () => (await import('./logs')).logsCommand,
  },
  metrics: {
    summary:
      'Statistics (Sharpe, drawdowns, VaR, alpha/beta against a benchmark...) of a price or equity file',
    load: async () => (await import('./metrics')).metricsCommand,
  },
  optimize: {
    summary: 'Search strategy parameters (grid or random) on every core, walk-forward by default',
    load: async () => (await import('./optimize')).optimizeCommand,
  },
  'new-token': {
    summary: "Replace the headless host's access token (a running host closes connections using the old one)",
    load: async () => (await import('./new-token')).newTokenCommand,
  },
}

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(16)} ${c.summary}`)
  return ['Usage: npm run cli -- <command> [options]', '', 'Commands:', ...lines].join('\n')
}

export async function runCli(argv: string[]): Promise<number> {
  const [name, ...rest] = argv
  if (!name || name === '--help' || name === '-h') {
    processIo.out(usage())
    return name ? 0 : 2
  }
  const cmd = COMMANDS[name]
  if (!cmd) {
    processIo.err(`Unknown command "${name}".\n${usage()}`)
    return 2
  }
  return (await cmd.load())(rest, processIo)
}

process.exitCode = await runCli(process.argv.slice(2))
