import type { PathSegment } from './path-text.js';
import { isMap, type RawMap } from './policy-view.js';
import { SCHEMA, type SchemaLevel } from './policy-schema.js';

/** Visits every map of a policy with the schema level it sits at (maps of the wrong type are not entered). */
export function walkSchema(policy: RawMap, visit: (level: SchemaLevel, map: RawMap, path: readonly PathSegment[]) => void): void {
  const walk = (level: SchemaLevel, map: RawMap, path: readonly PathSegment[]): void => {
    visit(level, map, path);
    for (const [key, field] of Object.entries(SCHEMA[level])) {
      if (!field.child || !Object.prototype.hasOwnProperty.call(map, key)) continue;
      const value = map[key];
      if (field.type === 'map' && isMap(value)) walk(field.child, value, [...path, key]);
      if (field.type === 'list' && Array.isArray(value)) {
        value.forEach((item, i) => {
          if (isMap(item)) walk(field.child as SchemaLevel, item, [...path, key, i]);
        });
      }
    }
  };
  walk('policy', policy, []);
}
