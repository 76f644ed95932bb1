import * as tf from '@tensorflow/tfjs';

// The testkit's own tests run on the plain CPU backend, without tfjs' Node.js banner.
tf.env().set('PROD', true);
await tf.setBackend('cpu');
