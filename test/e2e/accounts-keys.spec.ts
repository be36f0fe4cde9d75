import { closedPort, expect, test, usePassphraseEnv } from './fixtures'

// The hosts keep API keys in a passphrase-encrypted file.
usePassphraseEnv('e2e-accounts-keys-passphrase')

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
  // Nothing answers there, so the keys cannot be checked: stored unchecked, by choice.
  await page.getByTestId('account-save-unchecked').click()
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
  const row = dialog.locator('[data-testid="accounts-row"][data-mode="live"]')
  await expect(row).toContainText(`Binance via ${second} · no API keys`)
})
