// bench_codes.cpp - activation codes + code hashes per second on a 512 x 512 grid (the CPU
// reference of the tile shader). Prints figures; not a test.
//   build/native/bench/bench_codes
#include "network.h"
#include "pixel_codes.h"

#include <chrono>
#include <cstdio>
#include <set>

using namespace splinescope;

int main() {
  NetworkSpec spec;
  spec.hidden = {16, 16, 16};
  const Network net = make_network(spec, 1);
  const Window window{-3, 3, -3, 3};
  const int side = 512;
  std::uint64_t checksum = 0;
  double best = 1e30;
  for (int run = 0; run < 7; ++run) {
    const auto t0 = std::chrono::steady_clock::now();
    const auto hashes = pixel_code_hashes(net, window, side, side);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    best = std::min(best, s);
    checksum ^= hashes[side * side / 2].value();
  }
  const auto hashes = pixel_code_hashes(net, window, side, side);
  std::set<std::uint64_t> distinct;
  for (const CodeHash& h : hashes) distinct.insert(h.value());
  std::printf("network 2-16-16-16-1 relu, grid %dx%d over [-3,3]^2\n", side, side);
  std::printf("grid_seconds_best %.4f\n", best);
  std::printf("grid_points_per_second %.0f\n", side * side / best);
  std::printf("distinct_codes %zu (checksum %016llx)\n", distinct.size(),
              static_cast<unsigned long long>(checksum));
  return 0;
}
