/**
 * The fixed subset of the Shapes-VL test split whose tiny BLIP metrics are recorded next to the full
 * split's, so that a test can re-evaluate the embedded checkpoints quickly: the first 50 images
 * (250 captions, 450 questions).
 */
export const TINY_BLIP_SUBSET = { start: 0, count: 50 } as const;
