/** The package version, for `--version`, user agents, SBOM tool names and server info (a test keeps it equal to package.json's). */
export const VERSION = '0.1.0';
