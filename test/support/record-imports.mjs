// Preloaded with --import by the import-graph test: appends the URL of every module resolved to $NETSEG_IMPORT_LOG.
import { appendFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const log = process.env.NETSEG_IMPORT_LOG;
registerHooks({
  resolve(specifier, context, next) {
    const resolved = next(specifier, context);
    if (log) appendFileSync(log, `${resolved.url}\n`);
    return resolved;
  },
});
