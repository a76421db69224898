// line_raster.h - anti-aliased lines drawn into an image on the CPU, for pictures that change a few
// times a second but are shown every frame (the network graph's links): drawn once into a
// texture, they cost the GPU one textured rectangle a frame instead of a triangle strip per line.
// Plain C++, no GL: tested natively.
#pragma once

#include <cstdint>
#include <vector>

namespace splinescope {

struct LineImage {
  int width = 0, height = 0;
  std::vector<float> premultiplied; // (height x width x 4) RGBA, colour times alpha, row 0 on top

  // A transparent image of this size.
  void reset(int width, int height);
  // A line from (ax, ay) to (bx, by) (texel units, x right, y down; texel (i, j) covers
  // [i, i + 1) x [j, j + 1)) `thickness` texels wide, composited over what is there. Colour in
  // 0..1, not premultiplied. Coverage falls from 1 to 0 over the last texel at the edges.
  void line(float ax, float ay, float bx, float by, float thickness, float r, float g, float b,
            float a);
  // The image as 8-bit RGBA, not premultiplied (what the interface's shader blends).
  std::vector<std::uint8_t> rgba8() const;
};

} // namespace splinescope
