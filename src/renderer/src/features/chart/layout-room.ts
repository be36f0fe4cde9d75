import { useSyncExternalStore } from 'react'

/** Four charts need this much window to stay readable; smaller windows show two of them. */
const ROOM_FOR_FOUR = '(min-width: 1280px) and (min-height: 760px)'

const subscribeRoom = (onChange: () => void): (() => void) => {
  const mq = matchMedia(ROOM_FOR_FOUR)
  mq.addEventListener('change', onChange)
  return () => mq.removeEventListener('change', onChange)
}
const roomNow = (): number => (matchMedia(ROOM_FOR_FOUR).matches ? 4 : 2)

/** How many charts the window has room for, following its size. */
export function useChartRoom(): number {
  return useSyncExternalStore(subscribeRoom, roomNow)
}
