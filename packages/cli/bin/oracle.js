#!/usr/bin/env node
// Stable entry: exists before the first build, so npm can link it at install time.
import "../dist/bin.js"
