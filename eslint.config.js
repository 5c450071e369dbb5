import { existsSync } from 'node:fs';
import path from 'node:path';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** The folder of the nearest package.json at or above `dir` (the package a file belongs to). */
function packageRoot(dir) {
  for (let current = dir; ; current = path.dirname(current)) {
    if (existsSync(path.join(current, 'package.json'))) return current;
    if (path.dirname(current) === current) return undefined;
  }
}

/**
 * Packages meet only through their `exports`: a relative import whose target lies in another
 * package (another service's src/ or test/, the kit's internals) is refused; import
 * `@tourkit/<name>` or `@tourkit/<name>/<entry>` instead (see CONTRIBUTING.md).
 */
const packageDoor = {
  meta: {
    type: 'problem',
    messages: {
      leaves:
        '"{{source}}" leaves package {{from}} for {{to}}: import it through that package\'s exports (@tourkit/...).',
    },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    const from = packageRoot(path.dirname(file));
    function check(node) {
      const source = node.source?.value;
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const to = packageRoot(path.dirname(path.resolve(path.dirname(file), source)));
      if (from && to && from !== to) {
        const rel = (dir) => path.relative(context.cwd, dir) || '.';
        context.report({
          node: node.source,
          messageId: 'leaves',
          data: { source, from: rel(from), to: rel(to) },
        });
      }
    }
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', 'coverage/**', 'charts/**', 'loadtests/**/*.js'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-console': 'off',
    },
  },
  {
    // Sources and tests; the workspaces' jest.config.js share the root's jest.shared.js on purpose.
    files: ['**/*.ts'],
    plugins: { tourkit: { rules: { 'package-door': packageDoor } } },
    rules: { 'tourkit/package-door': 'error' },
  },
);
