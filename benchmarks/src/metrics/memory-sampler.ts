/**
 * Samples the resident set size every `intervalMs` while a cell runs (ONNX Runtime blocks the
 * event loop during a forward, so short peaks inside one forward can be missed; the process's
 * lifetime peak `process.resourceUsage().maxRSS` is recorded next to it).
 */
export function startMemorySampler(intervalMs = 100): { sample(): void; stop(): { peakRssBytes: number; processMaxRssBytes: number } } {
  let peak = process.memoryUsage.rss();
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage.rss());
  };
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    sample,
    stop() {
      clearInterval(timer);
      sample();
      return { peakRssBytes: peak, processMaxRssBytes: process.resourceUsage().maxRSS * 1024 };
    },
  };
}
