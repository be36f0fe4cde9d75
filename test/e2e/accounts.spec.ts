import type { Page } from '@playwright/test'
import { closedPort, expect, rpc, test, usePassphraseEnv, type Host } from './fixtures'
import type { Account } from '../../src/shared/domain/trading'

const DEMO = 'demo-paper'
const API_KEY = 'e2eKEYabcdefghijklmnopqrstuvwxyz0123456789'
const SECRET = 'e2eSECRET-never-shown-9f8e7d6c5b4a'

// The hosts keep API keys in a passphrase-encrypted file.
usePassphraseEnv('e2e-accounts-passphrase')

const accountsOf = (host: Host) => rpc<Account[]>(host, 'trading.accounts', {})

async function accountNamed(host: Host, name: string): Promise<Account> {
  const found = (await accountsOf(host)).find((a) => a.name === name)
  if (!found) throw new Error(`no account named ${name}`)
  return found
}

/** The secret (and the full API key) must appear nowhere in the page's HTML. */
async function expectNoKeysInPage(page: Page): Promise<void> {
  const html = await page.content()
  expect(html).not.toContain(SECRET)
  expect(html).not.toContain(API_KEY)
}

test('live and paper accounts are added from the Accounts dialog; keys never come back', async ({
  app: page,
  host,
}, testInfo) => {
  const port = await closedPort()
  const apiUrl = `http://127.0.0.1:${port}`
  await expect(page.getByTestId('account-select')).toHaveValue(DEMO)

  await page.getByTestId('accounts-open').click()
  const dialog = page.getByTestId('accounts-dialog')
  await expect(dialog).toBeVisible()
  await expect(dialog.locator(`[data-testid="accounts-row"][data-account="${DEMO}"]`)).toBeVisible()

  // A live account: exchanges are offered by the picker, from `exchange.list`.
  await page.getByTestId('accounts-add-live').click()
  const form = page.getByTestId('account-form')
  await expect(form).toHaveAttribute('data-mode', 'live')
  await page.getByTestId('account-exchange').click()
  await expect.poll(() => form.getByTestId('exchange-option').count()).toBeGreaterThan(50)
  await expect(form.locator('[data-testid="exchange-option"][data-exchange="binance"]')).toHaveCount(1)
  await page.getByTestId('account-name').fill('Sim live')
  await page.getByTestId('account-exchange').fill('binance')
  await expect(form.getByText('testnet or local simulator')).toBeVisible()
  await expect(page.getByTestId('account-api-key')).toHaveAttribute('type', 'password')
  await expect(page.getByTestId('account-secret')).toHaveAttribute('type', 'password')
  await page.getByTestId('account-api-key').fill(API_KEY)
  await page.getByTestId('account-secret').fill(SECRET)

  // The engine's validation message shows beside the field it is about.
  await page.getByTestId('account-api-url').fill('not a url')
  await page.getByTestId('account-save').click()
  await expect(page.getByTestId('account-error-apiUrl')).toBeVisible()
  await expect(page.getByTestId('account-error-apiUrl')).not.toContainText('params.')
  expect((await accountsOf(host)).some((a) => a.name === 'Sim live')).toBe(false)

  // Keys are checked before anything is saved: nothing answers at this address, so the trader
  // chooses to store them unchecked.
  await page.getByTestId('account-api-url').fill(apiUrl)
  await expect(page.getByTestId('account-error-apiUrl')).toHaveCount(0)
  await page.getByTestId('account-save').click()
  await expect(page.getByTestId('account-check-failed-text')).toContainText(
    'Binance is unreachable from this machine',
  )
  expect((await accountsOf(host)).some((a) => a.name === 'Sim live')).toBe(false)
  await page.getByTestId('account-save-unchecked').click()
  await expect(page.getByTestId('account-saved')).toBeVisible()

  const live = await accountNamed(host, 'Sim live')
  expect(live).toMatchObject({
    mode: 'live',
    exchangeId: 'binance',
    apiUrl,
    hasKeys: true,
    liveEnabled: false,
  })
  expect(live.keyHint).not.toBeNull()
  expect(live.keyHint).not.toContain(API_KEY)

  // Only the masked hint is shown: no key inputs, nothing of the secret anywhere in the page.
  await expect(page.getByTestId('account-key-hint')).toHaveText(live.keyHint!)
  await expect(page.getByTestId('account-secret')).toHaveCount(0)
  await expect(page.getByTestId('account-api-key')).toHaveCount(0)
  await expectNoKeysInPage(page)
  // "Replace keys" opens empty inputs (never prefilled); keeping the stored ones closes them.
  await page.getByTestId('account-replace-keys').click()
  await expect(page.getByTestId('account-api-key')).toHaveValue('')
  await expect(page.getByTestId('account-secret')).toHaveValue('')
  await expectNoKeysInPage(page)
  await form.getByRole('button', { name: 'Keep the stored keys' }).click()
  await expect(page.getByTestId('account-key-hint')).toBeVisible()

  // The selector lists it as LIVE (it is not chosen: nothing is sent anywhere).
  await expect(page.getByTestId('account-select').locator(`option[value="${live.id}"]`)).toHaveText(
    'Sim live — LIVE',
  )
  await expect(page.getByTestId('account-select')).toHaveValue(DEMO)

  const shot = await dialog.screenshot()
  await testInfo.attach('accounts-dialog', { body: shot, contentType: 'image/png' })
  if (process.env.CANDLEWORK_SCREENSHOTS) {
    await dialog.screenshot({ path: `${process.env.CANDLEWORK_SCREENSHOTS}/accounts-dialog.png` })
  }

  // Keys stored unchecked cannot switch live trading on (accounts-exchanges.spec turns it on
  // with keys that check).
  const toggle = page.getByTestId('account-live-toggle')
  await expect(toggle).toHaveAttribute('aria-checked', 'false')
  await expect(toggle).toBeDisabled()
  await expect(page.getByTestId('account-live-blocked')).toHaveText(
    'The keys were stored unchecked: check them first',
  )
  expect((await accountNamed(host, 'Sim live')).liveEnabled).toBe(false)
  await expectNoKeysInPage(page)

  // One live account per exchange connection: the engine's conflict shows at the exchange field.
  await page.getByTestId('account-back').click()
  await page.getByTestId('accounts-add-live').click()
  await page.getByTestId('account-name').fill('Second live')
  await page.getByTestId('account-exchange').fill('binance')
  await page.getByTestId('account-save').click()
  await expect(page.getByTestId('account-error-exchangeId')).toContainText('one live account per exchange')
  await page.getByTestId('account-back').click()

  // A second paper account, then trading on it.
  await page.getByTestId('accounts-add-paper').click()
  await expect(form).toHaveAttribute('data-mode', 'paper')
  // No keys, no URL for paper; its prices are the demo market's unless another is picked.
  await expect(page.getByTestId('account-api-key')).toHaveCount(0)
  await expect(page.getByTestId('account-api-url')).toHaveCount(0)
  await expect(page.getByTestId('exchange-picker')).toHaveAttribute('data-value', '')
  await expect(page.getByTestId('account-exchange')).toHaveValue('Demo market')
  await page.getByTestId('account-name').fill('Swing paper')
  if (process.env.CANDLEWORK_SCREENSHOTS) {
    await dialog.screenshot({ path: `${process.env.CANDLEWORK_SCREENSHOTS}/accounts-paper.png` })
  }
  await page.getByTestId('account-save').click()
  await expect(page.getByTestId('account-saved')).toBeVisible()
  const paper = await accountNamed(host, 'Swing paper')
  expect(paper).toMatchObject({ mode: 'paper', exchangeId: 'paper', hasKeys: false, liveEnabled: false })
  await page.getByTestId('account-back').click()
  await expect(dialog.getByTestId('accounts-row')).toHaveCount(3)
  if (process.env.CANDLEWORK_SCREENSHOTS) {
    await dialog.screenshot({ path: `${process.env.CANDLEWORK_SCREENSHOTS}/accounts-list.png` })
  }
  await dialog.getByRole('button', { name: 'Close' }).click()
  await expect(dialog).toBeHidden()

  await page.getByTestId('account-select').selectOption(paper.id)
  await expect(page.getByTestId('account-select')).toHaveValue(paper.id)
  await expect(page.getByTestId('account-mode')).toHaveText('PAPER')
  await expectNoKeysInPage(page)
})
