/**
 * One map key from an account id and a per-account id (a client order id, a symbol). The NUL
 * separator cannot occur in either part, so two different pairs never share a key.
 */
export const orderKey = (accountId: string, id: string): string => `${accountId}\u0000${id}`
