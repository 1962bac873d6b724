import { pluginBuild } from '../../tsup.plugin.ts'

export default pluginBuild({ 'intents/gc': 'src/intents/gc.ts', 'intents/drift': 'src/intents/drift.ts' })
