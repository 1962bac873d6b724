import { pluginBuild } from '../../tsup.plugin.ts'

export default pluginBuild({ 'intents/step': 'src/intents/step.ts' })
