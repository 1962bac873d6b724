// The example workspace (examples/devfactory) as the docs describe it: at 2026-11-20T10:20:00Z
// with the default options, be-2 loops on a missing module, fe-1 lost its heartbeat, and the
// others are fine.

import { checkValue, fixedClock } from '@oraclekit/kernel'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { createContextLoader } from './context/loader.js'
import { detectStuck } from './detect/detector.js'
import { DevfactoryOptions } from './options.js'
import { createStateStore } from './state/store.js'

const EXAMPLE = fileURLToPath(new URL('../../../examples/devfactory/', import.meta.url))
const clock = fixedClock('2026-11-20T10:20:00Z')
const options = checkValue<DevfactoryOptions>(DevfactoryOptions, {}).value

describe('examples/devfactory', () => {
  it('has a valid state file, and the detector finds be-2 and fe-1 stuck', async () => {
    const state = await createStateStore(EXAMPLE).read()
    expect(Object.keys(state.workers)).toEqual(['be-1', 'be-2', 'db-1', 'fe-1', 'qa-1'])
    const stuck = detectStuck(state, clock.now(), options)
    expect(stuck.map((s) => [s.worker, s.taskId, s.classification, s.confidence, s.stuckDuration / 60_000])).toEqual([
      ['be-2', '2026-01-05-user-auth/2.2', 'missing_dependency', 0.9, 4],
      ['fe-1', '2026-01-05-user-auth/3.1', 'environment_issue', 0.5, 15.5],
    ])
    expect(stuck[0]?.evidence).toEqual([
      'loop: the same call bash {"cmd":"npx vitest run src/auth"} failed 3 times in a row, last with: Error: Cannot find module \'bcrypt\' Require stack: - src/auth/password.ts',
      `missing_dependency: error matched "Cannot find module" in: Error: Cannot find module 'bcrypt'`,
    ])
    expect(stuck[1]?.evidence).toEqual([
      'no heartbeat for 15 min (threshold 10 min)',
      'working with no progress for 15 min (threshold 5 min)',
      'environment_issue: no heartbeat and no error: the worker process may have died',
    ])
  })

  it('has the context of every task a worker holds', async () => {
    const loader = createContextLoader(EXAMPLE, { clock })
    await loader.load()
    expect(loader.warnings).toEqual([])
    const state = await createStateStore(EXAMPLE).read()
    for (const task of Object.values(state.tasks)) {
      expect(loader.getTaskContext(task.id, task.spec), task.id).toMatchObject({ title: task.title, specName: task.spec })
    }
  })
})
