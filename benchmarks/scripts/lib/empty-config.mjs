/** A Standard Schema that accepts only an empty config: the analysis scripts' variant pruners have no options. */
export function emptyConfig(vendor) {
  return {
    '~standard': {
      version: 1,
      vendor,
      validate: (v) => (v === undefined || (typeof v === 'object' && v !== null && Object.keys(v).length === 0) ? { value: {} } : { issues: [{ message: 'no options' }] }),
    },
  };
}
