import { afterEach, describe, expect, it, vi } from 'vitest'
import { CHIME, playChime, readSoundSetting, shouldSound, writeSoundSetting } from './alert-sound'

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('the alert sound', () => {
  it('sounds by the setting: off mutes all, chosen only alerts that ask, all every one; never for away firings', () => {
    const live = { away: false }
    const away = { away: true }
    expect(shouldSound('off', live, { sound: true })).toBe(false)
    expect(shouldSound('chosen', live, { sound: true })).toBe(true)
    expect(shouldSound('chosen', live, { sound: false })).toBe(false)
    expect(shouldSound('chosen', live, undefined)).toBe(false)
    expect(shouldSound('all', live, { sound: false })).toBe(true)
    expect(shouldSound('all', live, undefined)).toBe(true)
    expect(shouldSound('all', away, { sound: true })).toBe(false)
  })

  it('keeps the setting in this browser, "chosen" until one is stored or when storage is missing', () => {
    expect(readSoundSetting()).toBe('chosen')
    const store = new Map<string, string>()
    vi.stubGlobal('localStorage', {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => store.set(k, v),
    })
    expect(readSoundSetting()).toBe('chosen')
    writeSoundSetting('off')
    expect(readSoundSetting()).toBe('off')
    store.set('candlework.alertSound', 'loud')
    expect(readSoundSetting()).toBe('chosen')
  })

  it('plays its notes through Web Audio, once for firings that come together, and says when it cannot', () => {
    const started: number[] = []
    class FakeAudioContext {
      state = 'running'
      currentTime = 0
      destination = {}
      createOscillator() {
        const osc = {
          type: '',
          frequency: { value: 0 },
          connect: (g: unknown) => g,
          start: () => started.push(osc.frequency.value),
          stop: () => {},
        }
        return osc
      }
      createGain() {
        const ramp = () => {}
        return {
          gain: { setValueAtTime: ramp, exponentialRampToValueAtTime: ramp },
          connect: (d: unknown) => d,
        }
      }
      resume() {
        return Promise.resolve()
      }
    }
    vi.stubGlobal('AudioContext', undefined)
    expect(playChime(10_000)).toBe(false)
    vi.stubGlobal('AudioContext', FakeAudioContext)
    expect(playChime(20_000)).toBe(true)
    expect(started).toEqual(CHIME.map((n) => n.hz))
    expect(playChime(20_100)).toBe(false)
    expect(playChime(21_000)).toBe(true)
    expect(started).toHaveLength(4)
  })
})
