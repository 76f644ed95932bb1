import type { OnnxGraph, OnnxNode } from '../onnx/onnx-messages.js';

/**
 * Drops nodes and initializers that no graph output depends on (descriptions also publish values an
 * export does not keep, e.g. hidden states of the other tower), so that runtimes load a clean graph
 * without "unused initializer" warnings. Graph inputs are kept as declared.
 */
export function pruneUnused(graph: OnnxGraph): OnnxGraph {
  const live = new Set(graph.output.map((o) => o.name));
  const kept: OnnxNode[] = [];
  for (let i = graph.node.length - 1; i >= 0; i--) {
    const node = graph.node[i] as OnnxNode;
    if (!node.output.some((o) => live.has(o))) continue;
    kept.push(node);
    for (const input of node.input) if (input !== '') live.add(input);
  }
  kept.reverse();
  return { ...graph, node: kept, initializer: graph.initializer.filter((t) => t.name !== undefined && live.has(t.name)) };
}
