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
      "a large {} in the center"
    ],
    "zeroShot": {
      "top1": 24.7,
      "top5": 68
    },
    "retrieval": {
      "i2t": {
        "r1": 58.6,
        "r5": 83.1,
        "r10": 93.2
      },
      "t2i": {
        "r1": 57.46,
        "r5": 94.28,
        "r10": 99.42
      }
    }
  },
  "subset": {
    "split": "test",
    "start": 0,
    "count": 100,
    "templates": [
      "a large {} in the center"
    ],
    "zeroShot": {
      "top1": 23,
      "top5": 67
    },
    "retrieval": {
      "i2t": {
        "r1": 89,
        "r5": 96,
        "r10": 100
      },
      "t2i": {
        "r1": 90,
        "r5": 100,
        "r10": 100
      }
    }
  }
};
