import { describe, expect, it } from 'vitest'
import { CLIENT_ORDER_ID_PATTERN } from '../../../../shared/domain/client-order-id'
import type { OrderRequest } from '../../../../shared/domain/trading'
import { answerMayBeLost, submissionId, submissionSettled } from './submission'

const req: OrderRequest = {
  accountId: 'demo-paper',
  symbol: 'BTC/USDT',
  side: 'buy',
  type: 'market',
  amount: '0.5',
}

describe('a ticket submission and its order id', () => {
  it('is made once and re-used while the same request is sent again (the live confirmation aside)', () => {
    const id = submissionId(req)
    expect(id).toMatch(CLIENT_ORDER_ID_PATTERN)
    expect(submissionId(req)).toBe(id)
    expect(submissionId({ ...req, confirm: true })).toBe(id)
    expect(submissionId({ ...req, clientOrderId: 'something-else' })).toBe(id)
  })

  it('is new for other terms, and after the engine answered for it', () => {
    const id = submissionId(req)
    const other = submissionId({ ...req, amount: '0.6' })
    expect(other).not.toBe(id)
    submissionSettled(other)
    expect(submissionId({ ...req, amount: '0.6' })).not.toBe(other)
  })

  it('takes no answer (the link dropped, none in time) for a possibly placed order, never a refusal', () => {
    expect(answerMayBeLost({ kind: 'unavailable', message: 'lost' })).toBe(true)
    expect(answerMayBeLost({ kind: 'outcome_unknown', message: 'no answer' })).toBe(true)
    expect(answerMayBeLost({ kind: 'insufficient_funds', message: 'short' })).toBe(false)
    expect(answerMayBeLost({ kind: 'validation', message: 'bad', path: 'params.amount' })).toBe(false)
  })
})
