// The `dockerhub`, `dockerhub-mcp` and `dockerhub-agent` executables: the compiled CLI (dist/cli/main.js) bundled with its dependencies into
// dist/bin/, split at the CLI's lazy imports so each command loads only its own code. Loading ~150
// files from node_modules cost ~40 ms on every run; a bundle is a handful of files. The SDK entry
// points stay unbundled (dist/*) for SDK users. See docs/architecture.md.
export default {
  input: {
    dockerhub: 'dist/cli/main.js',
    'dockerhub-mcp': 'dist/mcp/main.js',
    'dockerhub-agent': 'dist/agent/main.js',
  },
  platform: 'node',
  output: {
    dir: 'dist/bin',
    // Old chunks (other hashes) would otherwise stay in dist/bin and ship in the package.
    cleanDir: true,
    format: 'esm',
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name]-[hash].js',
  },
};
