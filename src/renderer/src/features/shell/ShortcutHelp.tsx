import { useEffect, useRef } from 'react'
import { ShortcutList } from './ShortcutList'
import { useShortcutHelp } from './shortcuts'

const close = (): void => useShortcutHelp.setState({ open: false })

/** The "?" overlay: every shortcut, closed by Escape, a click outside or its button. */
export function ShortcutHelp() {
  const open = useShortcutHelp((s) => s.open)
  const ref = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const d = ref.current
    if (!d) return
    if (open && !d.open) d.showModal()
    if (!open && d.open) d.close()
  }, [open])
  return (
    <dialog
      ref={ref}
      className="shortcut-help"
      aria-label="Keyboard shortcuts"
      data-testid="shortcut-help"
      onCancel={(e) => {
        e.preventDefault()
        close()
      }}
      onClick={(e) => {
        if (e.target === e.currentTarget) close()
      }}
    >
      {open && (
        <div className="shortcut-help-body">
          <div className="shortcut-help-head">
            <h2>Keyboard shortcuts</h2>
            <button type="button" className="btn btn-small" onClick={close} autoFocus>
              Close
            </button>
          </div>
          <ShortcutList />
        </div>
      )}
    </dialog>
  )
}
