// Writes src/ui/client.generated.ts: the page script, bundled from src/ui/client/.
import { writeFileSync } from 'node:fs'
import { GENERATED_FILE, bundleClient, generatedModule } from '../src/ui/bundle-client.ts'

writeFileSync(GENERATED_FILE, generatedModule(await bundleClient()))
