import { credentialLabel, PUBLIC_CREDENTIALS, type Credential } from '../../../../shared/domain/credentials'
import { credentialTyped } from './account-form-actions'
import { AccountField } from './AccountField'
import type { AccountEditor } from '../desk/store'

/** `apiKey` -> `account-api-key`: the test id of a credential's input. */
export const credentialTestId = (c: Credential): string =>
  `account-${c.replace(/[A-Z]/g, (ch) => `-${ch.toLowerCase()}`)}`

function hintFor(c: Credential, exchange: string, required: readonly Credential[]): string | undefined {
  if (c === 'password' && !required.includes('login'))
    return `the passphrase you chose when you made the ${exchange} API key`
  if (c === 'uid') return `your ${exchange} user or client id`
  return undefined
}

/**
 * The inputs of the credentials an exchange's keys consist of (ccxt's requiredCredentials: API key
 * and secret; OKX's passphrase; a user id where needed). They are uncontrolled: their values are
 * read from the form when it is saved, and never reach the store or the DOM's attributes.
 */
export function CredentialInputs({
  editor,
  exchange,
  required,
  replacing,
  onTyped,
}: {
  editor: AccountEditor
  /** The exchange's name, for hints. */
  exchange: string
  required: readonly Credential[]
  /** Keys are stored already: these replace them. */
  replacing: boolean
  /** Whether anything is typed in any of them now. */
  onTyped: (any: boolean) => void
}) {
  return (
    <div className="acc-creds" data-testid="account-credentials" data-credentials={required.join(' ')}>
      {required.map((c) => (
        <AccountField
          key={c}
          label={credentialLabel(c, required)}
          hint={hintFor(c, exchange, required)}
          error={editor.errors[c]}
          field={c}
        >
          {(id) => (
            <input
              id={id}
              name={c}
              type={PUBLIC_CREDENTIALS.has(c) ? 'text' : 'password'}
              className="tk-acc-input"
              data-testid={credentialTestId(c)}
              autoComplete="off"
              spellCheck={false}
              placeholder={
                replacing ? `New ${credentialLabel(c, required).toLowerCase()}` : placeholderFor(c)
              }
              aria-invalid={editor.errors[c] !== undefined}
              onInput={(e) => {
                credentialTyped(c)
                const form = e.currentTarget.form
                onTyped(
                  form !== null &&
                    required.some((r) => {
                      const v = new FormData(form).get(r)
                      return typeof v === 'string' && v.trim() !== ''
                    }),
                )
              }}
            />
          )}
        </AccountField>
      ))}
    </div>
  )
}

function placeholderFor(c: Credential): string {
  switch (c) {
    case 'apiKey':
      return 'Optional until you trade'
    case 'secret':
    case 'password':
    case 'privateKey':
      return 'Stored encrypted, never shown again'
    default:
      return ''
  }
}
