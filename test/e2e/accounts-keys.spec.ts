import { createServer } from 'node:net'
import { expect, test } from './fixtures'

/**
 * Changing a live account's API URL in the Accounts dialog removes its stored keys (the engine
 * never sends them to the new address), and the dialog says so and why, with the key inputs back.
 */

/** A local port nothing listens on: nothing is ever sent anywhere in this test. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const address = server.address()
  await new Promise<void>((r) => server.close(() => r()))
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}

/** The host unlocks its encrypted secrets file with this (it inherits the environment). */
const PASSPHRASE_ENV = 'CANDLEWORK_PASSPHRASE'
let savedPassphrase: string | undefined
test.beforeAll(() => {
  savedPassphrase = process.env[PASSPHRASE_ENV]
  process.env[PASSPHRASE_ENV] = 'e2e-accounts-keys-passphrase'
})
test.afterAll(() => {
  if (savedPassphrase === undefined) delete process.env[PASSPHRASE_ENV]
  else process.env[PASSPHRASE_ENV] = savedPassphrase
})

test('a new API URL removes the stored keys, and the Accounts dialog says why', async ({ app: page }) => {
  const first = `http://127.0.0.1:${await closedPort()}`
  const second = `http://127.0.0.1:${await closedPort()}`
  await page.getByTestId('accounts-open').click()
  const dialog = page.getByTestId('accounts-dialog')
  await page.getByTestId('accounts-add-live').click()
  await page.getByTestId('account-name').fill('Moving live')
  await page.getByTestId('account-exchange').fill('binance')
  await page.getByTestId('account-api-url').fill(first)
  await page.getByTestId('account-api-key').fill('e2eKEYabcdefghijklmnopqrstuvwxyz0123456789')
  await page.getByTestId('account-secret').fill('e2eSECRET-never-shown-1a2b3c4d5e6f')
  await page.getByTestId('account-save').click()
  await expect(page.getByTestId('account-saved')).toBeVisible()
  await expect(page.getByTestId('account-key-hint')).toBeVisible()
  await expect(page.getByTestId('account-keys-removed')).toHaveCount(0)

  await page.getByTestId('account-api-url').fill(second)
  await page.getByTestId('account-save').click()
  await expect(page.getByTestId('account-saved')).toBeVisible()
  const removed = page.getByTestId('account-keys-removed')
  await expect(removed).toBeVisible()
  await expect(removed).toContainText('The API keys stored for binance were removed')
  await expect(removed).toContainText(`now goes to ${second} instead of ${first}`)
  if (process.env.CANDLEWORK_SCREENSHOTS) {
    await dialog.screenshot({ path: `${process.env.CANDLEWORK_SCREENSHOTS}/accounts-keys-removed.png` })
  }
  // The key inputs are back, empty: the engine has no keys for the account any more.
  await expect(page.getByTestId('account-api-key')).toHaveValue('')
  await expect(page.getByTestId('account-key-hint')).toHaveCount(0)
  await page.getByTestId('account-back').click()
  const row = dialog.locator('[data-testid="accounts-row"][data-venue="live"]')
  await expect(row).toContainText(`binance via ${second} · no API keys`)
})
