import type { Page } from '@playwright/test'
import type { Account, Balance } from '../../src/shared/domain/trading'
import { startSimulator, type Simulator } from '../simulator/server'
import { closedPort, expect, rpc, test, usePassphraseEnv, type Host } from './fixtures'

/*
 * Adding exchange accounts as a trader would: the searchable exchange picker, the credentials an
 * exchange requires (OKX's passphrase), keys checked before they are saved with failures said in
 * words, the explicit choice to save them unchecked, the live switch that stays off without keys
 * that checked, and a paper account with its own starting balances.
 */

usePassphraseEnv('e2e-accounts-exchanges-passphrase')

const PASSPHRASE = 'e2e-okx-passphrase-7f3a'
const OKX_SECRET = 'e2e-okx-secret-never-shown-91b2'

const accountsOf = (host: Host) => rpc<Account[]>(host, 'trading.accounts', {})

async function accountNamed(host: Host, name: string): Promise<Account> {
  const found = (await accountsOf(host)).find((a) => a.name === name)
  if (!found) throw new Error(`no account named ${name}`)
  return found
}

/** The Accounts dialog, opened from the ticket (unfolded when the window folds it). */
async function openAccounts(page: Page): Promise<void> {
  if (await page.getByTestId('ticket-open').isVisible()) await page.getByTestId('ticket-open').click()
  await page.getByTestId('accounts-open').click()
  await expect(page.getByTestId('accounts-dialog')).toBeVisible()
}

/** Picks an exchange in the picker by typing part of its name and choosing its row. */
async function pickExchange(page: Page, search: string, id: string): Promise<void> {
  const input = page.getByTestId('account-exchange')
  await input.click()
  await input.fill(search)
  await page.locator(`[data-testid="exchange-option"][data-exchange="${id}"]`).click()
  await expect(page.getByTestId('exchange-picker')).toHaveAttribute('data-value', id)
}

test('the exchange picker is searchable and asks for the credentials each exchange needs', async ({
  app: page,
  host,
}) => {
  await openAccounts(page)
  await page.getByTestId('accounts-add-live').click()
  await page.getByTestId('account-name').fill('My OKX')

  // Searching: names and ids, with each exchange's mark and what its keys need besides key and secret.
  const input = page.getByTestId('account-exchange')
  await input.click()
  await input.fill('kuc')
  const options = page.getByTestId('exchange-option')
  await expect(options.first()).toHaveAttribute('data-exchange', 'kucoin')
  await expect(options.first()).toContainText('KuCoin')
  await expect(options.first()).toContainText('+ passphrase')
  await input.fill('zzzz-no-such')
  await expect(options).toHaveCount(0)
  await expect(page.getByTestId('exchange-options')).toContainText('No exchange matches')
  // Text that names no exchange is not taken: leaving the field puts the choice back (none yet).
  await page.getByTestId('account-name').click()
  await expect(page.getByTestId('exchange-picker')).toHaveAttribute('data-value', '')
  // Keyboard: type, arrow to it, Enter.
  await input.click()
  await input.fill('okx')
  await expect(options.first()).toHaveAttribute('data-exchange', 'okx')
  await input.press('Enter')
  await expect(page.getByTestId('exchange-picker')).toHaveAttribute('data-value', 'okx')
  await expect(input).toHaveValue('OKX')

  // OKX keys are three: the passphrase is asked for by that name, masked like the secret.
  await expect(page.getByTestId('account-credentials')).toHaveAttribute(
    'data-credentials',
    'apiKey secret password',
  )
  await expect(page.locator('[data-field="password"] label')).toContainText('Passphrase')
  await expect(page.getByTestId('account-password')).toHaveAttribute('type', 'password')
  for (const [w, h] of [
    [1400, 900],
    [1024, 700],
  ] as const) {
    await page.setViewportSize({ width: w, height: h })
    await expect(page.getByTestId('account-form')).toBeVisible()
    if (process.env.CANDLEWORK_SCREENSHOTS) {
      await page.screenshot({ path: `${process.env.CANDLEWORK_SCREENSHOTS}/accounts-add-okx-${w}x${h}.png` })
    }
  }
  await page.setViewportSize({ width: 1440, height: 900 })

  // Binance's are two: no passphrase field.
  await pickExchange(page, 'binan', 'binance')
  await expect(page.getByTestId('account-credentials')).toHaveAttribute('data-credentials', 'apiKey secret')
  await expect(page.getByTestId('account-password')).toHaveCount(0)
  await pickExchange(page, 'OKX', 'okx')

  // Key and secret without the passphrase: asked for by name, nothing sent.
  const apiUrl = `http://127.0.0.1:${await closedPort()}`
  await page.getByTestId('account-api-url').fill(apiUrl)
  await page.getByTestId('account-api-key').fill('e2e-okx-key-0123456789abcdef')
  await page.getByTestId('account-secret').fill(OKX_SECRET)
  await page.getByTestId('account-save').click()
  await expect(page.getByTestId('account-error-password')).toHaveText(
    'OKX API keys consist of the API key, secret and passphrase: enter the passphrase too',
  )
  expect((await accountsOf(host)).some((a) => a.name === 'My OKX')).toBe(false)

  // With it, the keys are checked first: OKX cannot be reached there, said in words, nothing saved.
  await page.getByTestId('account-password').fill(PASSPHRASE)
  await expect(page.getByTestId('account-save')).toHaveText('Check keys and add')
  await page.getByTestId('account-save').click()
  const failed = page.getByTestId('account-check-failed')
  await expect(failed).toBeVisible()
  await expect(failed).toContainText('The keys could not be checked: nothing was saved')
  await expect(page.getByTestId('account-check-failed-text')).toHaveText(
    'OKX is unreachable from this machine: the connection was refused (nothing answers at its address). Check the API URL, and that the server there is running.',
  )
  await expect(page.getByTestId('account-check-failed-text')).not.toContainText('http')
  expect((await accountsOf(host)).some((a) => a.name === 'My OKX')).toBe(false)

  // The explicit choice: saved unchecked, with live trading off; the passphrase never comes back.
  await page.getByTestId('account-save-unchecked').click()
  await expect(page.getByTestId('account-saved')).toBeVisible()
  const okx = await accountNamed(host, 'My OKX')
  expect(okx).toMatchObject({ mode: 'live', exchangeId: 'okx', hasKeys: true, liveEnabled: false })
  await expect(page.getByTestId('account-keys-unchecked')).toBeVisible()
  const html = await page.content()
  for (const secret of [PASSPHRASE, OKX_SECRET]) expect(html).not.toContain(secret)
  expect(JSON.stringify(await rpc(host, 'exchange.connections', {}))).not.toContain(PASSPHRASE)
})

test.describe('keys checked with the local simulator', () => {
  let sim: Simulator
  test.beforeEach(async () => {
    sim = await startSimulator()
  })
  test.afterEach(async () => {
    await sim.close()
  })

  test('a refused check says why and saves nothing; unchecked keys keep the live switch off', async ({
    app: page,
    host,
  }) => {
    await openAccounts(page)
    await page.getByTestId('accounts-add-live').click()
    await page.getByTestId('account-name').fill('Sim live')
    await pickExchange(page, 'binance', 'binance')
    await page.getByTestId('account-api-url').fill(sim.url)
    await page.getByTestId('account-api-key').fill(sim.apiKey)
    await page.getByTestId('account-secret').fill('x'.repeat(64)) // a typo
    await page.getByTestId('account-save').click()
    const failed = page.getByTestId('account-check-failed')
    await expect(failed).toContainText('The keys did not check: nothing was saved')
    const text = page.getByTestId('account-check-failed-text')
    await expect(text).toContainText('Binance refused the API key: Signature for this request is not valid')
    await expect(text).not.toContainText(sim.url)
    await expect(text).not.toContainText('{')
    expect((await accountsOf(host)).some((a) => a.name === 'Sim live')).toBe(false)
    if (process.env.CANDLEWORK_SCREENSHOTS) {
      await page
        .getByTestId('accounts-dialog')
        .screenshot({ path: `${process.env.CANDLEWORK_SCREENSHOTS}/accounts-check-failed.png` })
    }

    // Stored unchecked by choice: the switch cannot go on, and says why.
    await page.getByTestId('account-save-unchecked').click()
    await expect(page.getByTestId('account-saved')).toBeVisible()
    const live = await accountNamed(host, 'Sim live')
    expect(live).toMatchObject({ hasKeys: true, liveEnabled: false })
    const toggle = page.getByTestId('account-live-toggle')
    await expect(toggle).toBeDisabled()
    await expect(page.getByTestId('account-live-blocked')).toHaveText(
      'The keys were stored unchecked: check them first',
    )

    // The engine holds the same line whatever a window does.
    const r = await rpc<Account>(host, 'trading.saveAccount', {
      id: live.id,
      name: live.name,
      mode: 'live',
      liveEnabled: true,
    }).catch((e: unknown) => e as Error)
    expect(r).toBeInstanceOf(Error)
    expect((r as Error).message).toContain('Live trading stays off: Binance refused the API key')
    expect((await accountNamed(host, 'Sim live')).liveEnabled).toBe(false)
  })

  test('the switch goes on only after the engine checked the keys, and off at once', async ({
    app: page,
    host,
  }) => {
    // Keys stored unchecked (a typo), from another window or a script.
    const live = await rpc<Account>(host, 'trading.saveAccount', {
      name: 'Sim live',
      mode: 'live',
      exchangeId: 'binance',
      apiUrl: sim.url,
      apiKey: sim.apiKey,
      secret: 'x'.repeat(64),
      checkKeys: false,
    })
    await page.reload()
    await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'open')
    const toggle = page.getByTestId('account-live-toggle')
    // This window does not know they are unchecked: the switch asks, the engine checks and refuses.
    await openAccounts(page)
    await page
      .locator(`[data-testid="accounts-row"][data-account="${live.id}"] [data-testid="accounts-edit"]`)
      .click()
    await expect(toggle).toBeEnabled()
    await toggle.click()
    await page.getByTestId('live-on-confirm-button').click()
    await expect(page.getByTestId('account-error-liveEnabled')).toContainText(
      'Live trading stays off: Binance refused the API key',
    )
    await expect(toggle).toHaveAttribute('aria-checked', 'false')
    await expect(page.getByTestId('account-keys-failed')).toBeVisible()
    expect((await accountNamed(host, 'Sim live')).liveEnabled).toBe(false)

    // The right keys, checked: now the switch goes on (after its confirmation and one more check).
    await page.getByTestId('account-replace-keys').click()
    await page.getByTestId('account-api-key').fill(sim.apiKey)
    await page.getByTestId('account-secret').fill(sim.secret)
    await expect(page.getByTestId('account-save')).toHaveText('Check keys and save')
    await page.getByTestId('account-save').click()
    await expect(page.getByTestId('account-keys-checked')).toHaveText('✓ checked with Binance')
    await expect(toggle).toBeEnabled()
    // On needs the confirmation (cancelling it keeps it off); off is immediate.
    const confirm = page.getByTestId('live-on-confirm')
    await toggle.click()
    await expect(page.getByTestId('live-on-text')).toContainText('Real orders will be sent to Binance')
    await confirm.getByRole('button', { name: 'Keep it off' }).click()
    await expect(confirm).toBeHidden()
    await expect(toggle).toHaveAttribute('aria-checked', 'false')
    await toggle.click()
    await page.getByTestId('live-on-confirm-button').click()
    await expect(toggle).toHaveAttribute('aria-checked', 'true')
    expect((await accountNamed(host, 'Sim live')).liveEnabled).toBe(true)
    await toggle.click()
    await expect(toggle).toHaveAttribute('aria-checked', 'false')
    await expect(confirm).toBeHidden()
    expect((await accountNamed(host, 'Sim live')).liveEnabled).toBe(false)
  })
})

test('a paper account starts with the balances given, and a reset can change them', async ({
  app: page,
  host,
}) => {
  await openAccounts(page)
  await page.getByTestId('accounts-add-paper').click()
  await page.getByTestId('account-name').fill('Two assets')
  const rows = page.getByTestId('starting-row')
  await expect(rows).toHaveCount(1)
  await expect(page.getByTestId('starting-asset').first()).toHaveValue('USDT')
  await expect(page.getByTestId('starting-amount').first()).toHaveValue('10000')
  await page.getByTestId('starting-add').click()
  await page.getByTestId('starting-asset').nth(1).fill('btc')
  // Ambiguous text is refused on its row, never read as something else.
  await page.getByTestId('starting-amount').nth(1).fill('1,234')
  await page.getByTestId('account-save').click()
  await expect(page.getByTestId('starting-error')).toHaveText('BTC: Ambiguous: write 1234 or 1.234')
  expect((await accountsOf(host)).some((a) => a.name === 'Two assets')).toBe(false)
  // `0,5` is a half, in every locale.
  await page.getByTestId('starting-amount').nth(1).fill('0,5')
  if (process.env.CANDLEWORK_SCREENSHOTS) {
    await page.getByTestId('accounts-dialog').screenshot({
      path: `${process.env.CANDLEWORK_SCREENSHOTS}/accounts-paper-starting.png`,
    })
  }
  await page.getByTestId('account-save').click()
  await expect(page.getByTestId('account-saved')).toBeVisible()
  const paper = await accountNamed(host, 'Two assets')
  const balances = async () =>
    Object.fromEntries(
      (await rpc<{ balances: Balance[] }>(host, 'trading.balances', { accountId: paper.id })).balances.map(
        (b) => [b.asset, b.total],
      ),
    )
  expect(await balances()).toEqual({ USDT: '10000', BTC: '0.5' })
  expect(await rpc(host, 'trading.startingBalances', { accountId: paper.id })).toEqual([
    { asset: 'USDT', amount: '10000' },
    { asset: 'BTC', amount: '0.5' },
  ])

  // On it, a reset shows its starting balances, to keep or change.
  await page.getByTestId('account-back').click()
  await page.getByRole('button', { name: 'Close' }).click()
  await page.getByTestId('account-select').selectOption(paper.id)
  await page.getByTestId('reset-paper').click()
  const reset = page.getByTestId('reset-confirm')
  await expect(reset.getByTestId('starting-amount')).toHaveCount(2)
  await expect(reset.getByTestId('starting-amount').nth(1)).toHaveValue('0.5')
  await reset.getByTestId('starting-amount').first().fill('2500,25')
  await reset.getByTestId('starting-remove').nth(1).click()
  await reset.getByTestId('reset-confirm-button').click()
  await expect(reset).toBeHidden()
  expect(await balances()).toEqual({ USDT: '2500.25' })
  expect(await rpc(host, 'trading.startingBalances', { accountId: paper.id })).toEqual([
    { asset: 'USDT', amount: '2500.25' },
  ])
})
