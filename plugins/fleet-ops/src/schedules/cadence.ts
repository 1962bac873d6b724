// When a schedule entry is due: the cadence rules are the kernel's shared schedule contract
// (@oraclekit/kernel/contracts/schedule), which the dash reads too; re-exported here.

export { describeCadence, isDue, isTimeZone, lastOccurrence, nextOccurrence, wallToInstant } from '@oraclekit/kernel/contracts/schedule'
export type { DueCheck } from '@oraclekit/kernel/contracts/schedule'
