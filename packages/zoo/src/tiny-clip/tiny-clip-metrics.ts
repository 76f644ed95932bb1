// Written by `pnpm --filter @vlp/zoo eval:tiny-clip`; do not edit by hand.
import type { ShapesVLClipMetrics } from './evaluate-tiny-clip.js';

/** tiny-clip on the Shapes-VL test split as measured by `eval:tiny-clip` (percent), and the engine used. */
export const TINY_CLIP_METRICS: { readonly engine: string; readonly full: ShapesVLClipMetrics; readonly subset: ShapesVLClipMetrics } = {
  "engine": "onnx",
  "full": {
    "split": "test",
    "start": 0,
    "count": 1000,
    "templates": [
      "a photo of a {}."
    ],
    "zeroShot": {
      "top1": 90.9,
      "top5": 99.9
    },
    "retrieval": {
      "i2t": {
        "r1": 69.7,
        "r5": 90.6,
        "r10": 97.5
      },
      "t2i": {
        "r1": 68.92,
        "r5": 98.26,
        "r10": 99.72
      }
    }
  },
  "subset": {
    "split": "test",
    "start": 0,
    "count": 100,
    "templates": [
      "a photo of a {}."
    ],
    "zeroShot": {
      "top1": 85,
      "top5": 100
    },
    "retrieval": {
      "i2t": {
        "r1": 94,
        "r5": 99,
        "r10": 100
      },
      "t2i": {
        "r1": 93.2,
        "r5": 100,
        "r10": 100
      }
    }
  }
};
