import * as tf from '@tensorflow/tfjs';

// In-process command tests run on the plain CPU backend unless a test initialises another one,
// without tfjs' Node.js banner.
tf.env().set('PROD', true);
await tf.setBackend('cpu');
