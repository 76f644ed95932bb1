import * as z from 'zod';

/** `layer`: the same fraction in every unit; `global`: one threshold across all units in scope. */
export const allocationSchema = z.enum(['layer', 'global']);
