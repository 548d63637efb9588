/** The oldest Node.js major counterpi runs on; `engines.node` in package.json says the same to npm. */
export const REQUIRED_NODE_MAJOR = 22;

/**
 * One line for a person when this Node is too old, or null. An older Node does not fail politely: the
 * native SQLite addon built for Node 22 crashes it with a segmentation fault, so the entry point asks
 * before anything native is loaded.
 */
export function nodeVersionProblem(version: string): string | null {
  const major = Number.parseInt(version.split('.')[0] ?? '', 10);
  if (major >= REQUIRED_NODE_MAJOR) return null;
  return (
    `counterpi needs Node.js ${REQUIRED_NODE_MAJOR} or newer, and this is Node.js ${version}. ` +
    `Get Node.js ${REQUIRED_NODE_MAJOR} LTS from the official installer, a version manager ` +
    `(nvm install ${REQUIRED_NODE_MAJOR}), or npm (npm install --prefix ~/.cache/node${REQUIRED_NODE_MAJOR} node@${REQUIRED_NODE_MAJOR}); ` +
    `the README's "Getting Node ${REQUIRED_NODE_MAJOR}" says how.`
  );
}
