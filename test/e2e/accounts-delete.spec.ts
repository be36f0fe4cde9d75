import type { Page } from '@playwright/test'
import { expect, type Host, openDemoBtc, rpc, test, typeSize, usePassphraseEnv } from './fixtures'
import type { Connection } from '../../src/shared/contract/exchange'
import type { Account, Order } from '../../src/shared/domain/trading'
import { startSimulator, type Simulator } from '../simulator/server'

const DEMO = 'demo-paper'

// The hosts keep API keys in a passphrase-encrypted file.
usePassphraseEnv('e2e-accounts-delete-passphrase')

const accountsOf = (host: Host) => rpc<Account[]>(host, 'trading.accounts', {})

async function accountNamed(host: Host, name: string): Promise<Account> {
  const found = (await accountsOf(host)).find((a) => a.name === name)
  if (!found) throw new Error(`no account named ${name}`)
  return found
}

const rowOf = (page: Page, id: string) =>
  page.getByTestId('accounts-dialog').locator(`[data-testid="accounts-row"][data-account="${id}"]`)

test('a paper account with orders is deleted from the Accounts dialog after a confirmation', async ({
  app: page,
  host,
}, testInfo) => {
  await openDemoBtc(page)
  const dialog = page.getByTestId('accounts-dialog')
  await page.getByTestId('accounts-open').click()
  // The built-in account has no Delete.
  await expect(rowOf(page, DEMO).getByTestId('accounts-edit')).toBeVisible()
  await expect(rowOf(page, DEMO).getByTestId('accounts-delete')).toHaveCount(0)
  await page.getByTestId('accounts-add-paper').click()
  await page.getByTestId('account-name').fill('Scratch paper')
  await page.getByTestId('account-save').click()
  await expect(page.getByTestId('account-saved')).toBeVisible()
  const paper = await accountNamed(host, 'Scratch paper')
  await page.getByTestId('account-back').click()
  await dialog.getByRole('button', { name: 'Close' }).click()
  await expect(dialog).toBeHidden()

  // Trade on it: a market buy that fills, and a limit buy far below the market that rests.
  await page.getByTestId('account-select').selectOption(paper.id)
  await expect(page.getByTestId('account-select')).toHaveValue(paper.id)
  await typeSize(page, '0.01')
  await page.getByTestId('ticket-submit').click()
  await expect(page.getByTestId('ticket-outcome')).toContainText('Filled')
  await page.getByTestId('ticket-type-limit').click()
  await page.getByTestId('ticket-price').fill('20000')
  await typeSize(page, '0.001')
  await page.getByTestId('ticket-submit').click()
  await expect(page.getByTestId('ticket-outcome')).toContainText('Open')
  const resting = (await rpc<Order[]>(host, 'trading.orders', { accountId: paper.id })).find(
    (o) => o.status === 'open',
  )!

  // With an order open, the engine refuses and the dialog says why and what to do.
  const confirm = page.getByTestId('delete-account-confirm')
  await page.getByTestId('accounts-open').click()
  await rowOf(page, paper.id).getByTestId('accounts-delete').click()
  await expect(confirm).toBeVisible()
  await expect(page.getByTestId('delete-account-error')).toHaveText(
    '"Scratch paper" has 1 open order; cancel it first, then delete the account. Deleting never cancels anything on an exchange.',
  )
  await expect(page.getByTestId('delete-account-confirm-button')).toHaveCount(0)
  await confirm.getByRole('button', { name: 'Close' }).click()
  await expect(confirm).toBeHidden()
  await dialog.getByRole('button', { name: 'Close' }).click()

  await page.getByTestId('blotter-tab-open').click()
  const row = page.locator(`[data-testid="open-order-row"][data-id="${resting.clientOrderId}"]`)
  await row.getByTestId('cancel-order').click()
  await expect(row).toHaveCount(0)

  // Now it can go: the confirmation says what is lost, and that nothing reaches an exchange.
  await page.getByTestId('accounts-open').click()
  await rowOf(page, paper.id).getByTestId('accounts-delete').click()
  await expect(page.getByTestId('delete-account-counts')).toHaveText('2 orders, 1 fill')
  await expect(page.getByTestId('delete-account-text')).toContainText('Nothing is sent to the exchange.')
  await expect(confirm).toContainText('Delete “Scratch paper”?')
  const shot = await confirm.screenshot()
  await testInfo.attach('delete-account-confirm', { body: shot, contentType: 'image/png' })
  if (process.env.CANDLEWORK_SCREENSHOTS) {
    await page.screenshot({ path: `${process.env.CANDLEWORK_SCREENSHOTS}/accounts-delete-confirm.png` })
  }
  // "Keep it" deletes nothing.
  await confirm.getByRole('button', { name: 'Keep it' }).click()
  await expect(confirm).toBeHidden()
  expect((await accountsOf(host)).some((a) => a.id === paper.id)).toBe(true)

  await rowOf(page, paper.id).getByTestId('accounts-delete').click()
  await page.getByTestId('delete-account-confirm-button').click()
  await expect(confirm).toBeHidden()
  await expect(rowOf(page, paper.id)).toHaveCount(0)
  await expect(page.getByRole('region', { name: 'Notifications' })).toContainText('Account deleted')
  await dialog.getByRole('button', { name: 'Close' }).click()

  // Gone from the engine and the selector; the panel is back on Demo paper.
  await expect(page.getByTestId('account-select')).toHaveValue(DEMO)
  await expect(page.getByTestId('account-select').locator(`option[value="${paper.id}"]`)).toHaveCount(0)
  expect((await accountsOf(host)).map((a) => a.id)).toEqual([DEMO])
  await expect(rpc(host, 'trading.orders', { accountId: paper.id })).rejects.toThrow(
    /not_found|No trading account/,
  )
  // Reloading keeps Demo paper chosen (the deleted account is not remembered).
  await page.reload()
  await expect(page.getByTestId('account-select')).toHaveValue(DEMO)
})

test.describe('a live account on the local simulator', () => {
  let sim: Simulator
  test.beforeEach(async () => {
    sim = await startSimulator()
  })
  test.afterEach(async () => {
    await sim.close()
  })

  test('keys are checked before they are stored, removed after a confirmation, and kept when the account is deleted', async ({
    app: page,
    host,
  }) => {
    const dialog = page.getByTestId('accounts-dialog')
    await page.getByTestId('accounts-open').click()
    await page.getByTestId('accounts-add-live').click()
    await page.getByTestId('account-name').fill('Sim live')
    await page.getByTestId('account-exchange').fill('binance')
    await page.getByTestId('account-api-url').fill(sim.url)

    // A wrong secret: the keys are checked first, the exchange refuses them, and nothing is saved.
    await page.getByTestId('account-api-key').fill(sim.apiKey)
    await page.getByTestId('account-secret').fill('x'.repeat(64))
    await page.getByTestId('account-save').click()
    await expect(page.getByTestId('account-check-failed-text')).toContainText('Binance refused the API key')
    expect((await accountsOf(host)).some((a) => a.name === 'Sim live')).toBe(false)

    // The right keys: checked with a signed request, then stored with the account.
    await page.getByTestId('account-api-key').fill(sim.apiKey)
    await page.getByTestId('account-secret').fill(sim.secret)
    await page.getByTestId('account-save').click()
    await expect(page.getByTestId('account-saved')).toBeVisible()
    await expect(page.getByTestId('account-keys-checked')).toHaveText('✓ checked with Binance')
    const live = await accountNamed(host, 'Sim live')
    expect(live.hasKeys).toBe(true)
    await expect(page.getByTestId('account-key-hint')).toHaveText(live.keyHint!)

    if (process.env.CANDLEWORK_SCREENSHOTS) {
      await dialog.screenshot({ path: `${process.env.CANDLEWORK_SCREENSHOTS}/accounts-keys-checked.png` })
    }
    // Remove keys: asked first ("Keep them" keeps them), then gone from the connection.
    const confirm = page.getByTestId('remove-keys-confirm')
    await page.getByTestId('account-remove-keys').click()
    await expect(page.getByTestId('remove-keys-text')).toContainText('“Sim live” can no longer place')
    await confirm.getByRole('button', { name: 'Keep them' }).click()
    await expect(confirm).toBeHidden()
    expect((await accountNamed(host, 'Sim live')).hasKeys).toBe(true)
    await page.getByTestId('account-remove-keys').click()
    await page.getByTestId('remove-keys-confirm-button').click()
    await expect(confirm).toBeHidden()
    await expect(page.getByTestId('account-api-key')).toHaveValue('')
    await expect(page.getByTestId('account-key-hint')).toHaveCount(0)
    expect((await accountNamed(host, 'Sim live')).hasKeys).toBe(false)
    const connections = await rpc<Connection[]>(host, 'exchange.connections', {})
    expect(connections.find((c) => c.exchange === 'binance')?.maskedKey).toBeNull()

    // Keys stored without the check (the trader's choice) say so; "Check keys" asks the exchange.
    await page.getByTestId('account-api-key').fill(sim.apiKey)
    await page.getByTestId('account-secret').fill('y'.repeat(64)) // a typo nobody checked
    await page.getByTestId('account-save').click()
    await page.getByTestId('account-save-unchecked').click()
    await expect(page.getByTestId('account-keys-unchecked')).toBeVisible()
    await page.getByTestId('account-check-keys').click()
    await expect(page.getByTestId('account-keys-failed-text')).toContainText('✗ Binance refused the API key')
    expect((await accountNamed(host, 'Sim live')).hasKeys).toBe(true) // still stored: the trader decides
    if (process.env.CANDLEWORK_SCREENSHOTS) {
      await dialog.screenshot({ path: `${process.env.CANDLEWORK_SCREENSHOTS}/accounts-keys-refused.png` })
    }
    await page.getByTestId('account-replace-keys').click()
    await page.getByTestId('account-api-key').fill(sim.apiKey)
    await page.getByTestId('account-secret').fill(sim.secret)
    await page.getByTestId('account-save').click()
    await expect(page.getByTestId('account-keys-checked')).toHaveText('✓ checked with Binance')

    // Deleting the live account keeps the connection and its keys.
    await page.getByTestId('account-back').click()
    await rowOf(page, live.id).getByTestId('accounts-delete').click()
    await expect(page.getByTestId('delete-account-text')).toContainText(
      'The binance connection and its API keys are kept',
    )
    await expect(page.getByTestId('delete-account-counts')).toHaveText('0 orders, 0 fills')
    await page.getByTestId('delete-account-confirm-button').click()
    await expect(rowOf(page, live.id)).toHaveCount(0)
    expect((await accountsOf(host)).some((a) => a.id === live.id)).toBe(false)
    const after = await rpc<Connection[]>(host, 'exchange.connections', {})
    expect(after.find((c) => c.exchange === 'binance')).toMatchObject({ apiUrl: expect.any(String) })
    expect(after.find((c) => c.exchange === 'binance')?.maskedKey).not.toBeNull()
    await expect(dialog).toBeVisible()
    await expect(page.getByTestId('account-select')).toHaveValue(DEMO)
  })
})
