import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as api from './index.js';

const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';

describe('README', () => {
  it('imports only names the package exports', () => {
    const imported = /import \{([^}]*)\} from '@vlp\/data'/.exec(example)?.[1] ?? '';
    const names = imported.split(',').map((n) => n.trim()).filter(Boolean);
    expect(names.length).toBeGreaterThan(5);
    for (const name of names) expect(api, name).toHaveProperty(name);
  });

  it('shows what shapesVLSample(0, "test", 17, 224) really gives', () => {
    const sample = api.shapesVLSample(0, 'test', 17, 224);
    expect(example).toContain(`sample.captions[1];    // '${sample.captions[1]}'`);
    expect(example).toContain(`question: '${sample.questions[0].question}', answer: '${sample.questions[0].answer}'`);
    expect(example).toContain(`className: '${sample.label.className}', classIndex: ${sample.label.classIndex} }`);
  });

  it('states the ambiguity of the default test split that captionAmbiguity computes', () => {
    const test = Array.from({ length: api.DEFAULT_SPLIT_COUNTS.test }, (_, i) => api.shapesVLAnnotations(0, 'test', i));
    const { ambiguous, ambiguousImages, captions } = api.captionAmbiguity(test);
    expect(readme).toContain(`**${ambiguous} captions (of ${ambiguousImages}\nimages) match more than one test image**`);
    expect(example).toContain(`// ${ambiguous} of 5 000 captions match more than one image`);
    expect(captions).toBe(5000);
  });

  it('exports a version', () => {
    expect(typeof api.VERSION).toBe('string');
  });
});
