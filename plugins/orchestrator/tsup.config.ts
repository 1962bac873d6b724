import { pluginBuild } from '../../tsup.plugin.ts'

export default pluginBuild({ 'intents/task': 'src/intents/task.ts' })
