// line_raster.cpp - see line_raster.h.
#include "line_raster.h"

#include <algorithm>
#include <cmath>

namespace splinescope {

void LineImage::reset(int w, int h) {
  width = std::max(0, w);
  height = std::max(0, h);
  premultiplied.assign(static_cast<std::size_t>(width) * height * 4, 0.0f);
}

void LineImage::line(float ax, float ay, float bx, float by, float thickness, float r, float g,
                     float b, float a) {
  const float dx = bx - ax, dy = by - ay;
  const float length = std::sqrt(dx * dx + dy * dy);
  if (!(length > 0) || width == 0 || height == 0) return;
  const float half = 0.5f * std::max(thickness, 0.0f);
  const float nx = -dy / length, ny = dx / length; // unit normal
  // Walk the longer axis one texel at a time; at each step cover the texels across the line
  // whose centres lie within half + 1 of it (so that the edge's last texel fades out).
  const bool steep = std::abs(dy) > std::abs(dx);
  const float reach = (half + 1.0f) / std::max(steep ? std::abs(nx) : std::abs(ny), 1e-3f);
  const float along0 = steep ? std::min(ay, by) : std::min(ax, bx);
  const float along1 = steep ? std::max(ay, by) : std::max(ax, bx);
  const int limit = steep ? height : width, across_limit = steep ? width : height;
  const int first = std::max(0, static_cast<int>(std::floor(along0 - half - 1)));
  const int last = std::min(limit - 1, static_cast<int>(std::ceil(along1 + half + 1)));
  for (int i = first; i <= last; ++i) {
    const float c = static_cast<float>(i) + 0.5f; // texel centre along the walk
    // Where the line's axis crosses this row (or column).
    const float t = steep ? (c - ay) / (dy == 0 ? 1e-9f : dy) : (c - ax) / (dx == 0 ? 1e-9f : dx);
    const float centre = steep ? ax + t * dx : ay + t * dy;
    const int lo = std::max(0, static_cast<int>(std::floor(centre - reach)));
    const int hi = std::min(across_limit - 1, static_cast<int>(std::ceil(centre + reach)));
    // Along the span, the signed distance from the line and the position along the segment
    // (0..1) are affine in j: no square root except past the ends, which are round.
    const float px0 = steep ? static_cast<float>(lo) + 0.5f : c, py0 = steep ? c : static_cast<float>(lo) + 0.5f;
    const float step_x = steep ? 1.0f : 0.0f, step_y = steep ? 0.0f : 1.0f;
    float signed_distance = (px0 - ax) * nx + (py0 - ay) * ny;
    float u = ((px0 - ax) * dx + (py0 - ay) * dy) / (length * length);
    const float d_step = step_x * nx + step_y * ny, u_step = (step_x * dx + step_y * dy) / (length * length);
    for (int j = lo; j <= hi; ++j, signed_distance += d_step, u += u_step) {
      const float px = steep ? static_cast<float>(j) + 0.5f : c;
      const float py = steep ? c : static_cast<float>(j) + 0.5f;
      float distance = std::abs(signed_distance);
      if (u < 0 || u > 1) {
        const float end_x = u < 0 ? ax : bx, end_y = u < 0 ? ay : by;
        distance = std::sqrt((px - end_x) * (px - end_x) + (py - end_y) * (py - end_y));
      }
      const float coverage = std::clamp(half + 0.5f - distance, 0.0f, 1.0f);
      if (coverage <= 0) continue;
      const float alpha = a * coverage;
      float* texel = &premultiplied[4 * (static_cast<std::size_t>(py) * width + static_cast<std::size_t>(px))];
      texel[0] = r * alpha + texel[0] * (1 - alpha);
      texel[1] = g * alpha + texel[1] * (1 - alpha);
      texel[2] = b * alpha + texel[2] * (1 - alpha);
      texel[3] = alpha + texel[3] * (1 - alpha);
    }
  }
}

std::vector<std::uint8_t> LineImage::rgba8() const {
  std::vector<std::uint8_t> out(premultiplied.size());
  for (std::size_t i = 0; i < premultiplied.size(); i += 4) {
    const float alpha = premultiplied[i + 3];
    for (int c = 0; c < 3; ++c) {
      const float v = alpha > 0 ? premultiplied[i + c] / alpha : 0.0f;
      out[i + c] = static_cast<std::uint8_t>(std::lround(255.0f * std::clamp(v, 0.0f, 1.0f)));
    }
    out[i + 3] = static_cast<std::uint8_t>(std::lround(255.0f * std::clamp(alpha, 0.0f, 1.0f)));
  }
  return out;
}

} // namespace splinescope
