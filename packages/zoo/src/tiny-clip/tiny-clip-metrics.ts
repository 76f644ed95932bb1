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
      "top1": 79.1,
      "top5": 99.3
    },
    "retrieval": {
      "i2t": {
        "r1": 67.9,
        "r5": 88.1,
        "r10": 95.2
      },
      "t2i": {
        "r1": 66.04,
        "r5": 97.74,
        "r10": 99.76
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
      "top1": 81,
      "top5": 98
    },
    "retrieval": {
      "i2t": {
        "r1": 94,
        "r5": 100,
        "r10": 100
      },
      "t2i": {
        "r1": 94,
        "r5": 100,
        "r10": 100
      }
    }
  }
};
