import { pluginBuild } from '../../tsup.plugin.ts'

export default pluginBuild({})
