import { slot } from '../../sync'
import { notify } from '../notices/store'
import { useBackupStore } from './backup-store'

/**
 * The Health view's backups: `backup.progress` followed and `backup.list` read while the view is
 * open, and read again whenever a backup or restore ends (the progress goes back to none).
 */
const watching = slot()
const set = useBackupStore.setState
const get = useBackupStore.getState

export function watchBackups(): () => void {
  const scope = watching.open()
  let wasRunning = false
  let pendingAt: number | null = null
  scope.follow(
    'backup.progress',
    {},
    (p) => {
      set({ progress: p })
      // A backup that ended, or a restore staged or switched (after a restart), changes the list.
      const stagedAt = p.pending?.stagedAt ?? null
      if ((wasRunning && p.running === null) || stagedAt !== pendingAt) void refresh()
      wasRunning = p.running !== null
      pendingAt = stagedAt
    },
    { endTitle: 'Backup progress stopped updating' },
  )
  void refresh()
  return () => {
    watching.close(scope)
    set({ review: null })
  }
}

async function refresh(): Promise<void> {
  const scope = watching.current
  if (!scope) return
  const res = await scope.invoke('backup.list', {}, 'list')
  if (!res) return
  if (!res.ok) notify('warning', 'Could not read the backups', res.error.message)
  else set({ entries: res.value.entries, settings: res.value.settings })
}

const passphrase = (): string | undefined => get().passphrase || undefined

export function setPassphrase(value: string): void {
  set({ passphrase: value })
}

export async function backUpNow(): Promise<void> {
  const scope = watching.current
  if (!scope || get().progress.running) return
  set({ error: null })
  const res = await scope.invoke('backup.create', { passphrase: passphrase() })
  if (!res) return
  if (!res.ok) set({ error: res.error.message })
  await refresh()
}

export async function verify(path: string): Promise<void> {
  const scope = watching.current
  if (!scope || get().verifying.includes(path)) return
  set((s) => ({ verifying: [...s.verifying, path] }))
  const res = await scope.invoke('backup.verify', { path, passphrase: passphrase() })
  set((s) => ({ verifying: s.verifying.filter((p) => p !== path) }))
  if (!res) return
  if (!res.ok) notify('warning', 'The backup failed its verification', res.error.message)
  await refresh()
}

/** Restore…: the dry run first, shown for the trader to confirm. */
export async function reviewRestore(path: string): Promise<void> {
  const scope = watching.current
  if (!scope) return
  set({ review: { path, state: 'checking' } })
  const res = await scope.invoke('backup.dryRun', { path, passphrase: passphrase() }, 'review')
  if (!res || get().review?.path !== path) return
  set({
    review: res.ok
      ? { path, state: 'ready', dryRun: res.value }
      : { path, state: 'refused', message: res.error.message },
  })
}

export function cancelRestore(): void {
  if (get().review?.state === 'restoring') return
  set({ review: null })
}

export async function confirmRestore(): Promise<void> {
  const scope = watching.current
  const review = get().review
  if (!scope || review?.state !== 'ready') return
  set({ review: { ...review, state: 'restoring' } })
  const res = await scope.invoke('backup.restore', { path: review.path, passphrase: passphrase() })
  if (!res) return
  if (res.ok) {
    set({ review: null })
    notify('info', 'Restore staged', 'Restart Candlework to switch to the restored data.')
  } else set({ review: { path: review.path, state: 'refused', message: res.error.message } })
  await refresh()
}
