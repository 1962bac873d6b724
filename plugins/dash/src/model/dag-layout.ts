// A deterministic layered layout of the task DAG, computed on the server so the page only draws:
// a task's layer is its longest dependency chain (left to right), and within a layer tasks are
// ordered by the mean position of their dependencies (two sweeps), ties by plan order. Sugiyama's
// scheme without the crossing-minimisation extras: plans are narrow, and the same plan must give
// the same picture.

export interface LayoutInput {
  id: string
  dependencies: readonly string[]
}

export interface Placed {
  layer: number
  x: number
  y: number
}

export const NODE_W = 200
export const NODE_H = 56
const GAP_X = 70
const GAP_Y = 18
const PAD = 10

export function layoutDag(tasks: readonly LayoutInput[]): { width: number; height: number; at: Map<string, Placed> } {
  const index = new Map(tasks.map((t, i) => [t.id, i]))
  const layer = new Map<string, number>()
  // Longest path from a root, iteratively; an edge back into the walk (a cycle) is not followed.
  for (const root of tasks) {
    if (layer.has(root.id)) continue
    const stack: Array<{ id: string; next: number }> = [{ id: root.id, next: 0 }]
    const onStack = new Set([root.id])
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as { id: string; next: number }
      const deps = (tasks[index.get(top.id) as number] as LayoutInput).dependencies.filter((d) => index.has(d) && !onStack.has(d))
      const dep = deps[top.next++]
      if (dep === undefined) {
        layer.set(top.id, deps.reduce((max, d) => Math.max(max, (layer.get(d) ?? 0) + 1), 0))
        onStack.delete(top.id)
        stack.pop()
      } else if (!layer.has(dep)) {
        onStack.add(dep)
        stack.push({ id: dep, next: 0 })
      }
    }
  }
  const layers: string[][] = []
  for (const t of tasks) (layers[layer.get(t.id) as number] ??= []).push(t.id)
  const row = new Map<string, number>()
  layers.forEach((ids) => ids.forEach((id, i) => row.set(id, i)))
  for (let sweep = 0; sweep < 2; sweep++) {
    for (let l = 1; l < layers.length; l++) {
      const ids = layers[l] as string[]
      const key = (id: string): number => {
        const deps = (tasks[index.get(id) as number] as LayoutInput).dependencies.filter((d) => row.has(d) && (layer.get(d) as number) < l)
        return deps.length === 0 ? (row.get(id) as number) : deps.reduce((sum, d) => sum + (row.get(d) as number), 0) / deps.length
      }
      const keys = new Map(ids.map((id) => [id, key(id)]))
      ids.sort((a, b) => (keys.get(a) as number) - (keys.get(b) as number) || (index.get(a) as number) - (index.get(b) as number))
      ids.forEach((id, i) => row.set(id, i))
    }
  }
  const at = new Map<string, Placed>()
  const tallest = Math.max(0, ...layers.map((ids) => ids.length))
  layers.forEach((ids, l) => {
    // Centre each layer vertically against the tallest one.
    const offset = ((tallest - ids.length) * (NODE_H + GAP_Y)) / 2
    ids.forEach((id, i) => at.set(id, { layer: l, x: PAD + l * (NODE_W + GAP_X), y: PAD + offset + i * (NODE_H + GAP_Y) }))
  })
  return {
    width: layers.length === 0 ? 0 : PAD * 2 + layers.length * NODE_W + (layers.length - 1) * GAP_X,
    height: tallest === 0 ? 0 : PAD * 2 + tallest * NODE_H + (tallest - 1) * GAP_Y,
    at,
  }
}
