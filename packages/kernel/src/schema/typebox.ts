// TypeBox is re-exported from the kernel so that every plugin builds schemas with the same copy
// (and so the kernel can bundle it: importing typebox's 700 modules costs ~120 ms, bundled ~6 ms).
export { Type } from 'typebox'
export type { Static, TSchema, TObject, TProperties } from 'typebox'
