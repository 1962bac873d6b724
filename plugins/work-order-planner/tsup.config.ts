import { pluginBuild } from '../../tsup.plugin.ts'

export default pluginBuild({ 'intents/job': 'src/intents/job.ts' })
