import type { RequestHandler } from 'express';
import { validationFailed, type FieldError } from './errors.js';

/**
 * NUL, which PostgreSQL cannot store in text (the insert fails: a 500), and unpaired UTF-16
 * surrogates, which are not Unicode (stored, they silently become U+FFFD: not what was sent).
 */
// eslint-disable-next-line no-control-regex -- NUL is exactly what this looks for
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export const UNSTORABLE_TEXT_MESSAGE =
  'must not contain NUL characters or unpaired surrogates (\\u0000, \\ud800–\\udfff)';

/**
 * The fields of a parsed body or query holding text no service can store: each string value and
 * each key, walked without recursion (a body may nest thousands of levels deep). Field names are
 * dotted paths, as in every validation problem; a key that is itself bad is written JSON-escaped.
 */
export function unstorableTextFields(value: unknown, limit = 20): FieldError[] {
  const errors: FieldError[] = [];
  // Paths as linked nodes, spelled out only for a field reported: copying the path at every level
  // would cost the square of the depth (a 100 kB body of `[` is 100,000 levels).
  interface PathNode {
    key: string;
    parent: PathNode | undefined;
  }
  const name = (node: PathNode | undefined): string => {
    const keys: string[] = [];
    for (let n = node; n; n = n.parent) keys.push(n.key);
    return keys.length > 0 ? keys.reverse().join('.') : '(root)';
  };
  const stack: Array<{ value: unknown; path: PathNode | undefined }> = [{ value, path: undefined }];
  while (stack.length > 0 && errors.length < limit) {
    const { value: current, path } = stack.pop()!;
    if (typeof current === 'string') {
      if (UNSTORABLE.test(current))
        errors.push({ field: name(path), message: UNSTORABLE_TEXT_MESSAGE });
    } else if (current !== null && typeof current === 'object') {
      for (const [key, child] of Object.entries(current)) {
        const bad = UNSTORABLE.test(key);
        const node = {
          key: bad ? JSON.stringify(key).slice(1, -1) : key === '' ? '""' : key,
          parent: path,
        };
        if (bad) errors.push({ field: name(node), message: UNSTORABLE_TEXT_MESSAGE });
        stack.push({ value: child, path: node });
      }
    }
  }
  return errors;
}

/**
 * 400 `validation-failed` naming each field of the JSON body or the query string whose text cannot
 * be stored, before any route sees it: every service's text reaches PostgreSQL sooner or later.
 */
export const rejectUnstorableText: RequestHandler = (req, _res, next) => {
  const query = unstorableTextFields(req.query);
  if (query.length > 0) {
    next(validationFailed(query, 'Invalid request query.'));
    return;
  }
  const body = unstorableTextFields(req.body);
  next(body.length > 0 ? validationFailed(body, 'Invalid request body.') : undefined);
};
