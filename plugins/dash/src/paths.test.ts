import { describe, expect, it } from 'vitest'
import { type KernelView, declaredProducts, resolvePaths } from './paths.js'

const kernel = (plugins: Array<[string, unknown]>, productIds?: string[]): KernelView => ({
  rootDir: '/ws',
  plugins: plugins.map(([name, options], i) => ({ name, options, plugin: { name }, path: `plugins[${i}]` })),
  extensions: (point: string) => (point === 'work-order-planner.pm-facts' && productIds ? [{ plugin: 'oracle:work-order-planner', value: { productIds, read: async () => ({}) } as never }] : []),
})

describe('where the artifacts are', () => {
  it('defaults to where each plugin puts them', () => {
    expect(resolvePaths(kernel([]))).toEqual({
      dashDir: 'dash',
      runsDir: 'dash/runs',
      schedulesDir: 'dash/schedules',
      driftDir: 'dash/drift',
      healDir: 'dash/heal',
      scienceIndex: 'dash/science_index.json',
      workOrdersDir: 'nexus/work_orders',
      packRunsDir: '.oraclepack/runs',
      orchestratorPlan: 'orchestrator.yml',
      orchestratorRunsDir: '.codex/runs',
      devfactoryDir: '.devfactory',
    })
  })

  it("follows the other plugins' own options, and the dash's paths option over them", () => {
    const k = kernel([
      ['oracle:work-order-planner', { dashDir: 'ops/dash', workOrdersDir: 'ops/orders' }],
      ['oracle:fleet-ops', { runsDir: 'ops/runs', heal: { stateDir: 'ops/heal' }, scienceIndex: 'ops/science.json' }],
      ['oracle:oraclepack-runner', { runsDir: 'runs/packs' }],
      ['oracle:orchestrator', { file: 'plans/main.yml' }],
      ['oracle:devfactory-oracle', { dir: 'factory' }],
    ])
    expect(resolvePaths(k)).toMatchObject({ dashDir: 'ops/dash', runsDir: 'ops/runs', healDir: 'ops/heal', scienceIndex: 'ops/science.json', workOrdersDir: 'ops/orders', packRunsDir: 'runs/packs', orchestratorPlan: 'plans/main.yml', devfactoryDir: 'factory' })
    expect(resolvePaths(k, { runsDir: 'elsewhere', orchestratorRunsDir: 'logs' })).toMatchObject({ runsDir: 'elsewhere', orchestratorRunsDir: 'logs', dashDir: 'ops/dash' })
  })

  it("takes the declared products from the planner's pm-facts extension, else its options", () => {
    expect(declaredProducts(kernel([], ['b', 'a']))).toEqual(['b', 'a'])
    expect(declaredProducts(kernel([['oracle:work-order-planner', { products: [{ id: 'x', root: 'x' }] }]]))).toEqual(['x'])
    expect(declaredProducts(kernel([]))).toBeUndefined()
  })
})
