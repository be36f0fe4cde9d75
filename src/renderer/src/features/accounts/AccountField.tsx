import { useId, type ReactNode } from 'react'
import type { EditorField } from '../desk/store'

/** One labelled field of the account editor, with the engine's message for it underneath. */
export function AccountField({
  label,
  hint,
  error,
  field,
  children,
}: {
  label: string
  hint?: string | undefined
  error: string | undefined
  field: EditorField
  children: (id: string) => ReactNode
}) {
  const id = useId()
  return (
    <div className={`tk-acc-field${error ? ' tk-acc-field-invalid' : ''}`} data-field={field}>
      <label className="tk-acc-label" htmlFor={id}>
        {label}
        {hint && <span className="tk-acc-hint"> — {hint}</span>}
      </label>
      {children(id)}
      {error && (
        <div className="tk-acc-error" role="alert" data-testid={`account-error-${field}`}>
          {error}
        </div>
      )}
    </div>
  )
}
