// Test code only: an in-memory StateAccess with the store's contract (updates one at a time;
// nothing changes when the function throws).
import type { BeastState, StateAccess } from '../types.js'

export interface MemoryState extends StateAccess {
  current: BeastState
  updates: number
}

export function memoryState(initial: Partial<BeastState> = {}): MemoryState {
  let chain: Promise<unknown> = Promise.resolve()
  const store: MemoryState = {
    current: { version: 1, workers: {}, tasks: {}, ...structuredClone(initial) },
    updates: 0,
    read: async () => structuredClone(store.current),
    update<T>(fn: (state: BeastState) => T | Promise<T>): Promise<T> {
      const next = chain.then(async () => {
        const draft = structuredClone(store.current)
        const result = await fn(draft)
        store.current = draft
        store.updates += 1
        return result
      })
      chain = next.catch(() => undefined)
      return next
    },
  }
  return store
}
