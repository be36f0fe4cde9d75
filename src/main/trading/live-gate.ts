import { AppError } from '../../shared/contract/errors'
import type { OrderRequest } from '../../shared/domain/trading'
import type { StoredAccount } from './store'

/**
 * The engine's own guard on real orders (the app's confirmation dialog is a second one): a live
 * account's order is refused unless the account's live switch is on and the request carries
 * `confirm: true`, which the order ticket sets only from its confirmation dialog. Paper orders
 * need neither. `invalid_order`, saying what is missing; nothing is sent.
 */
export function assertLiveAllowed(
  account: Pick<StoredAccount, 'mode' | 'name' | 'liveEnabled'>,
  req: Pick<OrderRequest, 'confirm'>,
): void {
  if (account.mode !== 'live') return
  if (!account.liveEnabled) {
    throw new AppError(
      'invalid_order',
      `Live trading is switched off for "${account.name}"; switch it on in the account's settings first`,
      'params.accountId',
    )
  }
  if (req.confirm !== true) {
    throw new AppError(
      'invalid_order',
      'A live order needs confirm: true (the order ticket asks first)',
      'params.confirm',
    )
  }
}
