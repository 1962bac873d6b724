// FIXME: the backoff ignores Retry-After headers
export const delays = [100, 200, 400]
