import { describe, expect, it } from 'vitest'
import { memoryIo } from '../../src/main/cli/io'
import { killSwitchCommand } from '../../src/main/cli/kill-switch'
import type { CallContext } from '../../src/main/rpc/handlers'
import { createEngine, type Engine } from '../../src/main/engine'
import { silentLogger } from '../../src/main/log'
import { useTempDirs } from '../support/temp-dir'

const tempDir = useTempDirs()
const ctx: CallContext = { transport: 'memory', peer: 'test' }

async function restingOrder(engine: Engine): Promise<void> {
  const res = await engine.registry.invoke(
    'trading.placeOrder',
    {
      accountId: 'demo-paper',
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'limit',
      amount: '0.01',
      price: '1000',
    },
    ctx,
  )
  expect(res.ok, JSON.stringify(res)).toBe(true)
}

async function openOrders(engine: Engine): Promise<number> {
  const res = await engine.registry.invoke('risk.overview', {}, ctx)
  if (!res.ok) throw new Error(res.error.message)
  return (res.value as { accounts: { openOrders: number }[] }).accounts[0]!.openOrders
}

// Each test starts an engine (a second or so of start-up on this machine) and waits on the file poll.
describe('npm run cli -- kill-switch', () => {
  it('asks the Candlework running on the folder, which halts, cancels and answers with its report', async () => {
    const dataDir = tempDir()
    const engine = createEngine({ dataDir, host: 'headless', log: silentLogger })
    try {
      await restingOrder(engine)
      expect(await openOrders(engine)).toBe(1)
      const io = memoryIo()
      const code = await killSwitchCommand(['--yes', '--data-dir', dataDir, '--wait', '10'], io)
      expect(io.stderr).toEqual([])
      expect(code).toBe(0)
      expect(io.stdout.join('\n')).toContain('HALTED everywhere; 1 order canceled; nothing outstanding')
      expect(await openOrders(engine)).toBe(0)
      const overview = await engine.registry.invoke('risk.overview', {}, ctx)
      expect(overview.ok && (overview.value as { global: { state: string } }).global.state).toBe('HALTED')
    } finally {
      await engine.close()
    }
  }, 30_000)

  it('runs the kill switch itself when no Candlework answers; without --yes and no terminal nothing is done', async () => {
    const dataDir = tempDir()
    const engine = createEngine({ dataDir, host: 'headless', log: silentLogger })
    await restingOrder(engine)
    await engine.close()
    const refused = memoryIo()
    expect(await killSwitchCommand(['--data-dir', dataDir], refused)).toBe(2)
    expect(refused.stderr.join('')).toContain('not confirmed; nothing was done')
    const io = memoryIo()
    expect(await killSwitchCommand(['--yes', '--data-dir', dataDir, '--wait', '1'], io)).toBe(0)
    expect(io.stdout.join('\n')).toMatch(/No Candlework answered in 1 s: running the kill switch here/)
    expect(io.stdout.join('\n')).toContain('1 order canceled')
    const again = createEngine({ dataDir, host: 'headless', log: silentLogger })
    try {
      expect(await openOrders(again)).toBe(0)
    } finally {
      await again.close()
    }
  }, 30_000)
})
