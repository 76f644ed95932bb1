type Json = Record<string, unknown>;

const asObject = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});

/**
 * Writes stock geometry `fields` into config.json's `<tower>_config`, folding a legacy
 * `<tower>_config_dict` (which transformers would otherwise prefer) into it.
 */
export function setTowerFields(config: Json, tower: 'vision' | 'text', fields: Json): void {
  config[`${tower}_config`] = { ...asObject(config[`${tower}_config`]), ...asObject(config[`${tower}_config_dict`]), ...fields };
  delete config[`${tower}_config_dict`];
}

/** A name renaming that maps each `from` prefix to its `to` prefix (names without a listed prefix are kept). */
export function prefixRenaming(prefixes: ReadonlyMap<string, string>, pattern: RegExp): (name: string) => string {
  return (name) => {
    const match = pattern.exec(name);
    const renamed = match ? prefixes.get(match[0]) : undefined;
    return renamed === undefined ? name : renamed + name.slice((match as RegExpExecArray)[0].length);
  };
}
