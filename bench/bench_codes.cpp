// bench_codes.cpp - activation codes + code hashes per second on a 512 x 512 grid (the CPU
// reference of the tile shader): the rasterised tessellation (pixel_code_hashes) and direct
// evaluation of every pixel (pixel_code_hashes_direct), in one run. Prints figures; not a test.
//   build/native/bench/bench_codes
#include "network.h"
#include "pixel_codes.h"

#include <chrono>
#include <cstdio>
#include <set>

using namespace splinescope;

namespace {

using GridFunction = std::vector<CodeHash> (*)(const Network&, const Window&, int, int, int);

// Best of 7 runs, in seconds.
double best_seconds(GridFunction f, const Network& net, const Window& window, int side) {
  double best = 1e30;
  for (int run = 0; run < 7; ++run) {
    const auto t0 = std::chrono::steady_clock::now();
    const auto hashes = f(net, window, side, side, -1);
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  return best;
}

void report(const char* name, NetworkSpec spec, int side) {
  const Network net = make_network(spec, 1);
  const Window window{-3, 3, -3, 3};
  const double fast = best_seconds(pixel_code_hashes, net, window, side);
  const double direct = best_seconds(pixel_code_hashes_direct, net, window, side);
  const auto a = pixel_code_hashes(net, window, side, side);
  const auto b = pixel_code_hashes_direct(net, window, side, side);
  std::set<std::uint64_t> distinct;
  long differ = 0;
  for (std::size_t p = 0; p < a.size(); ++p) {
    distinct.insert(a[p].value());
    differ += a[p] != b[p];
  }
  std::printf("%-34s grid %dx%d: raster %.1f M points/s (%.2f ms), direct %.1f M points/s "
              "(%.2f ms), %.1fx; %zu distinct codes, %ld pixels differ\n",
              name, side, side, side * side / fast * 1e-6, fast * 1e3,
              side * side / direct * 1e-6, direct * 1e3, direct / fast, distinct.size(), differ);
}

} // namespace

int main() {
  NetworkSpec spec;
  spec.hidden = {16, 16, 16};
  report("2-16-16-16-1 relu, small biases", spec, 512);
  spec.bias_init = BiasInit::normal;
  spec.bias_scale = 0.5;
  report("2-16-16-16-1 relu, normal biases", spec, 512);
  spec.hidden = {32, 32, 32, 32};
  report("2-32^4-1 relu, normal biases", spec, 512);
  spec.hidden = {64, 64, 64};
  report("2-64^3-1 relu, normal biases", spec, 512);
  return 0;
}
