// bench_train - Adam steps per second at batch 32 for a 2-16-16-16-1 ReLU network on a 200-point
// disk-inside-a-ring set. Builds natively (CMake) and to WebAssembly (bench/run_wasm_bench.sh).
//
// Output lines: `adam_steps_per_second N` (wall clock), `adam_steps_per_cpu_second N` (process CPU
// time, which stays meaningful on a machine shared with other jobs), the step count and seconds,
// and the final training loss and accuracy (printed so the optimiser's work is not dead code).
#include "network.h"
#include "random.h"
#include "train.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#endif

using namespace splinescope;

namespace {
// Class 0: disk of radius 0.5; class 1: ring between radii 0.8 and 1.2.
Dataset disk_and_ring(int n, std::uint64_t seed) {
  Rng rng(seed);
  Dataset d;
  d.X.resize(2, n);     // (2, n)
  d.labels.resize(n);   // (n)
  for (int j = 0; j < n; ++j) {
    const int label = j % 2;
    const double r = label ? rng.uniform(0.8, 1.2) : 0.5 * std::sqrt(rng.uniform());
    const double angle = rng.uniform(0, 6.283185307179586);
    d.X(0, j) = r * std::cos(angle);
    d.X(1, j) = r * std::sin(angle);
    d.labels(j) = label;
  }
  return d;
}

// Process CPU time in seconds. Emscripten's clock() is wall time, so ask Node directly there.
double cpu_seconds_now() {
#ifdef __EMSCRIPTEN__
  return EM_ASM_DOUBLE({
    if (typeof process === "undefined" || !process.cpuUsage) return performance.now() / 1000;
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1e6;
  });
#else
  return static_cast<double>(std::clock()) / CLOCKS_PER_SEC;
#endif
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}
} // namespace

int main() {
  NetworkSpec spec;
  spec.hidden = {16, 16, 16};
  TrainConfig config; // Adam, learning rate 0.01
  config.batch_size = 32;
  Trainer trainer(make_network(spec, 1), disk_and_ring(200, 2), config);

  trainer.run(2000); // warm-up: buffers sized, caches and branch predictors settled

  // Steps in chunks so the clock is read rarely; at least 2 seconds in total.
  const auto start = std::chrono::steady_clock::now();
  const double cpu_start = cpu_seconds_now();
  long long steps = 0;
  double elapsed = 0;
  bool ok = true;
  while (elapsed < 2.0 && ok) {
    for (int i = 0; i < 1000; ++i) ok = ok && trainer.step().ok;
    steps += 1000;
    elapsed = seconds_since(start);
  }
  const double cpu_seconds = cpu_seconds_now() - cpu_start;
  const Metrics m = trainer.evaluate();
  std::printf("adam_steps_per_second %.0f\n", steps / elapsed);
  std::printf("adam_steps_per_cpu_second %.0f\n", steps / cpu_seconds);
  std::printf("steps %lld\n", steps);
  std::printf("seconds %.3f\n", elapsed);
  std::printf("cpu_seconds %.3f\n", cpu_seconds);
  std::printf("final_loss %.6g\n", m.loss);
  std::printf("final_accuracy %.4f\n", m.accuracy);
  return ok ? 0 : 1;
}
