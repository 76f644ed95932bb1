// Written by `pnpm --filter @vlp/zoo eval:tiny-blip`; do not edit by hand.
import type { ShapesVLBlipMetrics } from './evaluate-tiny-blip.js';

/** The tiny BLIP checkpoints on the Shapes-VL test split as measured by `eval:tiny-blip`, and the engine used. */
export const TINY_BLIP_METRICS: { readonly engine: string; readonly full: ShapesVLBlipMetrics; readonly subset: ShapesVLBlipMetrics } = {
  "engine": "onnx",
  "full": {
    "split": "test",
    "start": 0,
    "count": 1000,
    "retrieval": {
      "rerankK": 16,
      "i2t": {
        "r1": 18.8,
        "r5": 48.6,
        "r10": 67
      },
      "t2i": {
        "r1": 19.14,
        "r5": 66.68,
        "r10": 90.16
      },
      "itcOnly": {
        "i2t": {
          "r1": 19.7,
          "r5": 46.9,
          "r10": 64
        },
        "t2i": {
          "r1": 20.38,
          "r5": 67.1,
          "r10": 90.08
        }
      }
    },
    "captioning": {
      "bleu4": 0.37293325287459944,
      "ciderD": 1.6243657948713541
    },
    "vqa": {
      "accuracy": 45.477777777777774,
      "questions": 9000
    }
  },
  "subset": {
    "split": "test",
    "start": 0,
    "count": 50,
    "retrieval": {
      "rerankK": 16,
      "i2t": {
        "r1": 82,
        "r5": 98,
        "r10": 100
      },
      "t2i": {
        "r1": 88.8,
        "r5": 100,
        "r10": 100
      },
      "itcOnly": {
        "i2t": {
          "r1": 88,
          "r5": 92,
          "r10": 96
        },
        "t2i": {
          "r1": 85.6,
          "r5": 100,
          "r10": 100
        }
      }
    },
    "captioning": {
      "bleu4": 0.3986044988259694,
      "ciderD": 1.6836838017182227
    },
    "vqa": {
      "accuracy": 46.44444444444444,
      "questions": 450
    }
  }
};
