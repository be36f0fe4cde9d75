import type { Alert, Firing } from '../../../../shared/contract/alerts'

/**
 * The alert sound: a short two-tone chime made with Web Audio (no asset to ship), played in the
 * page when a firing arrives. The trader's setting, kept in this browser's storage, decides:
 * `off` mutes every alert, `chosen` sounds for alerts that ask for it (the form's "Play a sound"),
 * `all` for every alert. Firings found on start ("while you were away") never sound: they are
 * old news, and a burst of them would be noise.
 */
export type SoundSetting = 'off' | 'chosen' | 'all'

export const SOUND_SETTINGS: readonly [SoundSetting, string][] = [
  ['off', 'Sound off'],
  ['chosen', 'Sound for alerts that ask'],
  ['all', 'Sound for every alert'],
]

const KEY = 'candlework.alertSound'

export function readSoundSetting(): SoundSetting {
  try {
    const v = localStorage.getItem(KEY)
    return v === 'off' || v === 'all' || v === 'chosen' ? v : 'chosen'
  } catch {
    return 'chosen'
  }
}

export function writeSoundSetting(v: SoundSetting): void {
  try {
    localStorage.setItem(KEY, v)
  } catch {
    // No storage (private mode): the setting holds until the page closes.
  }
}

/** Whether a firing sounds under `setting`; `alert` is its alert when the list has it. */
export function shouldSound(
  setting: SoundSetting,
  firing: Pick<Firing, 'away'>,
  alert: Pick<Alert, 'sound'> | undefined,
): boolean {
  if (setting === 'off' || firing.away) return false
  return setting === 'all' || alert?.sound === true
}

/** The chime's notes: frequency (Hz), start and length (s). An A5 then an E6, like a soft bell. */
export const CHIME: readonly { hz: number; at: number; length: number }[] = [
  { hz: 880, at: 0, length: 0.18 },
  { hz: 1318.5, at: 0.16, length: 0.3 },
]

/** Several firings at once chime once. */
const MIN_GAP_MS = 800

let context: AudioContext | null = null
let lastAt = -Infinity

/**
 * Plays the chime. Answers false where the page cannot (no Web Audio, or the browser has not let
 * this page make sound yet: it needs a click on the page first), never throwing.
 */
export function playChime(now = performance.now()): boolean {
  if (now - lastAt < MIN_GAP_MS) return false
  try {
    const Ctor = globalThis.AudioContext
    if (!Ctor) return false
    context ??= new Ctor()
    if (context.state === 'suspended') void context.resume()
    const t0 = context.currentTime
    for (const n of CHIME) {
      const osc = context.createOscillator()
      const gain = context.createGain()
      osc.type = 'sine'
      osc.frequency.value = n.hz
      // A quick rise and an exponential fall: a bell, not a click.
      gain.gain.setValueAtTime(0.0001, t0 + n.at)
      gain.gain.exponentialRampToValueAtTime(0.25, t0 + n.at + 0.01)
      gain.gain.exponentialRampToValueAtTime(0.0001, t0 + n.at + n.length)
      osc.connect(gain).connect(context.destination)
      osc.start(t0 + n.at)
      osc.stop(t0 + n.at + n.length + 0.02)
    }
    lastAt = now
    return true
  } catch {
    return false
  }
}
