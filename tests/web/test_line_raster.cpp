// Tests of the CPU line raster (web/views/line_raster.h) against the distance to the segment.
#include "line_raster.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

using namespace splinescope;

namespace {

float alpha_at(const LineImage& image, int x, int y) {
  return image.premultiplied[4 * (static_cast<std::size_t>(y) * image.width + x) + 3];
}

// Distance from the texel centre (x + 0.5, y + 0.5) to the segment a-b.
double distance_to_segment(int x, int y, double ax, double ay, double bx, double by) {
  const double px = x + 0.5, py = y + 0.5, dx = bx - ax, dy = by - ay;
  const double u = std::clamp(((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy), 0.0, 1.0);
  return std::hypot(ax + u * dx - px, ay + u * dy - py);
}

} // namespace

TEST_CASE("a rasterised line covers the texels within its half width and fades over one texel") {
  const double lines[][5] = {{2, 10, 30, 10, 3},   {5, 3, 27, 29, 2.5}, {20, 2, 4, 31, 1.0},
                             {3, 30, 29, 1, 4.0}, {16, 1, 16.3, 30, 2}};
  for (const auto& l : lines) {
    LineImage image;
    image.reset(32, 33);
    image.line(static_cast<float>(l[0]), static_cast<float>(l[1]), static_cast<float>(l[2]),
               static_cast<float>(l[3]), static_cast<float>(l[4]), 1.0f, 0.5f, 0.0f, 0.8f);
    const double half = 0.5 * l[4];
    int inside = 0;
    for (int y = 0; y < image.height; ++y)
      for (int x = 0; x < image.width; ++x) {
        const double d = distance_to_segment(x, y, l[0], l[1], l[2], l[3]);
        const double expected = 0.8 * std::clamp(half + 0.5 - d, 0.0, 1.0);
        CHECK(alpha_at(image, x, y) == doctest::Approx(expected).epsilon(1e-4));
        inside += d <= half ? 1 : 0;
      }
    CHECK(inside > 20);
  }
}

TEST_CASE("lines drawn over each other composite like the interface's blending") {
  LineImage image;
  image.reset(20, 20);
  image.line(0, 10, 20, 10, 4, 1, 0, 0, 0.5f);
  image.line(10, 0, 10, 20, 4, 0, 0, 1, 0.6f);
  const std::vector<std::uint8_t> rgba = image.rgba8();
  const auto at = [&](int x, int y, int c) { return static_cast<int>(rgba[4 * (y * 20 + x) + c]); };
  // Where both cover fully: alpha 0.6 + 0.5 (1 - 0.6) = 0.8; colour (0.5 * 0.4 red, 0.6 blue) / 0.8.
  CHECK(at(10, 10, 3) == static_cast<int>(std::lround(255 * 0.8)));
  CHECK(at(10, 10, 0) == static_cast<int>(std::lround(255 * 0.2 / 0.8)));
  CHECK(at(10, 10, 2) == static_cast<int>(std::lround(255 * 0.6 / 0.8)));
  // Where one covers: its own colour, not darkened by the transparent rest.
  CHECK(at(2, 10, 0) == 255);
  CHECK(at(2, 10, 3) == static_cast<int>(std::lround(255 * 0.5)));
  CHECK(at(2, 2, 3) == 0);
}
