import { describe, expect, it } from 'vitest'
import { createEngine, type Engine } from '../../src/main/engine'
import { silentLogger } from '../../src/main/log'
import { PREFERENCES_KEY } from '../../src/main/settings/store'
import { DEFAULT_PREFERENCES, type Preferences } from '../../src/shared/contract/settings'
import { useTempDirs } from '../support/temp-dir'

const tempDir = useTempDirs()
const ctx = { transport: 'memory', peer: 'test' } as const

function open(dir: string): Engine {
  return createEngine({ dataDir: dir, host: 'headless', log: silentLogger })
}

describe('settings.get / settings.set / settings.updates on a real database file', () => {
  it('starts at the defaults, keeps a change across a restart and pushes it to every subscriber', async () => {
    const dir = tempDir()
    const engine = open(dir)
    const seen: Preferences[] = []
    let stop: (() => void) | undefined
    try {
      expect(await engine.registry.invoke('settings.get', {}, ctx)).toEqual({
        ok: true,
        value: DEFAULT_PREFERENCES,
      })
      const sub = engine.registry.subscribe(
        'settings.updates',
        {},
        { emit: (e) => seen.push(e as Preferences), end: () => {} },
        ctx,
      )
      expect(sub.ok).toBe(true)
      if (sub.ok) stop = sub.dispose
      const set = await engine.registry.invoke(
        'settings.set',
        { theme: 'light', timeZone: 'America/New_York' },
        ctx,
      )
      expect(set).toEqual({
        ok: true,
        value: { ...DEFAULT_PREFERENCES, theme: 'light', timeZone: 'America/New_York' },
      })
      // The subscriber got the state at once, then the change.
      expect(seen.map((p) => p.theme)).toEqual(['system', 'light'])
      await engine.registry.invoke(
        'settings.set',
        { numberFormat: 'comma', defaultAccountId: 'paper-1', favouriteTimeframes: ['1h', '1w', '1M'] },
        ctx,
      )
      expect(seen.at(-1)).toMatchObject({
        theme: 'light',
        numberFormat: 'comma',
        defaultAccountId: 'paper-1',
        favouriteTimeframes: ['1h', '1w', '1M'],
      })
    } finally {
      stop?.()
      await engine.close()
    }
    const again = open(dir)
    try {
      expect(await again.registry.invoke('settings.get', {}, ctx)).toEqual({
        ok: true,
        value: {
          theme: 'light',
          timeZone: 'America/New_York',
          numberFormat: 'comma',
          defaultAccountId: 'paper-1',
          favouriteTimeframes: ['1h', '1w', '1M'],
        },
      })
    } finally {
      await again.close()
    }
  })

  it('refuses an unknown time zone or theme naming the field, and stores nothing', async () => {
    const engine = open(tempDir())
    try {
      const zone = await engine.registry.invoke('settings.set', { timeZone: 'Mars/Olympus' }, ctx)
      expect(zone.ok).toBe(false)
      if (!zone.ok) {
        expect(zone.error.kind).toBe('validation')
        expect(zone.error.message).toContain('timeZone')
      }
      const theme = await engine.registry.invoke('settings.set', { theme: 'sepia' }, ctx)
      expect(theme.ok).toBe(false)
      if (!theme.ok) expect(theme.error.message).toContain('theme')
      for (const favouriteTimeframes of [
        ['1h', '2w'],
        ['1h', '1h'],
      ]) {
        const tfs = await engine.registry.invoke('settings.set', { favouriteTimeframes }, ctx)
        expect(tfs.ok, favouriteTimeframes.join()).toBe(false)
        if (!tfs.ok) expect(tfs.error.message).toContain('favouriteTimeframes')
      }
      expect(await engine.registry.invoke('settings.get', {}, ctx)).toEqual({
        ok: true,
        value: DEFAULT_PREFERENCES,
      })
    } finally {
      await engine.close()
    }
  })

  it('keeps the valid fields of a damaged stored row and defaults the others', async () => {
    const engine = open(tempDir())
    try {
      engine.db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, 0)').run(
        PREFERENCES_KEY,
        JSON.stringify({
          theme: 'light',
          timeZone: 'Nowhere/Else',
          numberFormat: 7,
          favouriteTimeframes: ['1d', '2w'],
        }),
      )
      expect(await engine.registry.invoke('settings.get', {}, ctx)).toEqual({
        ok: true,
        value: { ...DEFAULT_PREFERENCES, theme: 'light' },
      })
    } finally {
      await engine.close()
    }
  })
})
