import { useEffect, useRef, type ReactNode } from 'react'

/**
 * A modal dialog on the native `<dialog>`: focus stays inside, Escape cancels, and the
 * element to focus first is the one marked `autoFocus`.
 */
export function Modal({
  open,
  onCancel,
  label,
  tone,
  testId,
  className,
  children,
}: {
  open: boolean
  onCancel: () => void
  label: string
  tone: 'danger' | 'neutral'
  testId: string
  className?: string
  children: ReactNode
}) {
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
      className={`tk-dialog tk-dialog-${tone}${className ? ` ${className}` : ''}`}
      aria-label={label}
      data-testid={testId}
      onCancel={(e) => {
        e.preventDefault()
        onCancel()
      }}
    >
      {open && children}
    </dialog>
  )
}

/**
 * The body of a confirmation: a form whose submit (the button marked `type="submit"`) confirms,
 * under a badge and the question; `children` say what happens and hold the buttons.
 */
export function ConfirmForm({
  onConfirm,
  badge,
  question,
  children,
}: {
  onConfirm: () => void
  badge: 'LIVE' | 'PAPER' | 'KEYS'
  question: string
  children: ReactNode
}) {
  return (
    <form
      method="dialog"
      onSubmit={(e) => {
        e.preventDefault()
        onConfirm()
      }}
    >
      <div className="tk-dialog-head">
        <span className={`badge ${badge === 'PAPER' ? 'badge-paper' : 'badge-live'}`}>{badge}</span>
        <span>{question}</span>
      </div>
      {children}
    </form>
  )
}
