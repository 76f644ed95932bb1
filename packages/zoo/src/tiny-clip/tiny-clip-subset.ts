/**
 * The fixed subset of the Shapes-VL test split whose metrics are recorded next to the full split's,
 * so that a test can re-evaluate the embedded checkpoint quickly: the first 100 images (500 captions).
 */
export const TINY_CLIP_SUBSET = { start: 0, count: 100 } as const;
