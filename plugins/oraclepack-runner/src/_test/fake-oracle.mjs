#!/usr/bin/env node
// An instrumented stand-in for the oracle CLI, for tests only. It takes the CLI's flags, records
// every call (argv, start and end times) in $FAKE_ORACLE_DIR/calls/, and behaves per step as
// $FAKE_ORACLE_SCRIPT says: {"01": ["429", "ok"]} fails step 01's first call with a rate limit and
// answers the second. Outcomes: ok, slow (ok after 1.5 s more), 429, 503, timeout, fatal, empty, hang.
import { appendFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { basename, dirname, join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

const args = process.argv.slice(2)
if (args.includes('--version')) {
  process.stdout.write('0.0.0-fake\n')
} else {
  await main()
}

function flag(name) {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : undefined
}

async function main() {
  const dir = process.env.FAKE_ORACLE_DIR
  const output = flag('--write-output')
  const prompt = flag('-p') ?? flag('--prompt') ?? ''
  const step = /^(\d{2})/.exec(basename(output ?? ''))?.[1] ?? 'xx'
  const now = () => performance.timeOrigin + performance.now()
  const start = now()
  let attempt = 1
  if (dir) {
    mkdirSync(join(dir, 'calls'), { recursive: true })
    attempt = readdirSync(join(dir, 'calls')).filter((name) => name.startsWith(`${step}-`)).length + 1
    writeFileSync(join(dir, 'calls', `${step}-${attempt}-${process.pid}.json`), JSON.stringify({ step, attempt, pid: process.pid, start, args }))
  }
  const script = JSON.parse(process.env.FAKE_ORACLE_SCRIPT ?? '{}')
  const plan = script[step] ?? script['*'] ?? ['ok']
  let outcome = plan[Math.min(attempt, plan.length) - 1]
  await sleep(Number(process.env.FAKE_ORACLE_LATENCY_MS ?? 0))
  if (outcome === 'slow') {
    await sleep(1500)
    outcome = 'ok'
  }
  process.stdout.write('🧿 oracle 0.0.0-fake — a stand-in\n')
  const finish = (code) => {
    if (dir) appendFileSync(join(dir, 'ends.jsonl'), `${JSON.stringify({ step, attempt, pid: process.pid, start, end: now(), outcome })}\n`)
    process.exitCode = code
  }
  switch (outcome) {
    case 'ok': {
      const hash = createHash('sha256').update(`${prompt}\n${args.filter((a) => a !== output).join(' ')}`).digest('hex').slice(0, 12)
      mkdirSync(dirname(output), { recursive: true })
      writeFileSync(output, `## Answer to step ${step}\n\n1) Direct answer: fake answer ${hash}\n`)
      process.stdout.write(`Saved assistant output to ${output}\n`)
      return finish(0)
    }
    case '429':
      process.stdout.write('ERROR: Rate limit reached for requests\nTransport: api-error — transport error\n')
      return finish(1)
    case '503':
      process.stdout.write('ERROR: The server is overloaded\nTransport: api-error — transport error\n')
      return finish(1)
    case 'timeout':
      process.stdout.write('ERROR: OpenAI request timed out before completion.\nTransport: client-timeout\n')
      return finish(1)
    case 'empty':
      process.stdout.write('write-output skipped: empty answer\n')
      return finish(0)
    case 'hang':
      await sleep(3_600_000)
      return finish(0)
    default:
      process.stdout.write('✖ Missing file or directory: nope.txt\n')
      return finish(1)
  }
}
