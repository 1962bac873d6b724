import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { threadId } from 'node:worker_threads'
import { defineIntent } from '@oraclekit/kernel/intent'

export interface ScanInput {
  file: string
  markers: string[]
}

export interface Hit {
  line: number
  marker: string
  text: string
}

// Runs in a worker thread, one job per file.
export default defineIntent<ScanInput, Hit[]>(async (input, ctx) => {
  const text = await readFile(join(ctx.rootDir, input.file), 'utf8')
  const hits: Hit[] = []
  text.split('\n').forEach((line, index) => {
    const marker = input.markers.find((m) => line.includes(`${m}:`))
    if (marker) hits.push({ line: index + 1, marker, text: line.trim() })
  })
  ctx.log.info('scanned', { hits: hits.length, threadId })
  return hits
})
