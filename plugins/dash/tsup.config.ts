import { pluginBuild } from '../../tsup.plugin.ts'

// No intents; the browser code is plain functions serialised into the page (src/ui/client-bundle.ts).
export default pluginBuild({})
