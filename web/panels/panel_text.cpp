// panel_text.cpp - see panel_text.h.
#include "panel_text.h"

#include "class_colours.h"

#include <cmath>
#include <cstdio>

namespace splinescope {

std::string format_metric(double v, const char* fmt) {
  if (!std::isfinite(v)) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

std::string format_loss(double v) {
  if (!std::isfinite(v)) return "-";
  return format_metric(v, std::fabs(v) >= 0.001 || v == 0 ? "%.4f" : "%.2e");
}

std::string format_steps(double steps) {
  char buf[32];
  if (steps < 1000)
    std::snprintf(buf, sizeof buf, "%.0f", steps);
  else if (steps < 1e6)
    std::snprintf(buf, sizeof buf, steps < 1e4 ? "%.1fk" : "%.0fk", steps / 1e3);
  else
    std::snprintf(buf, sizeof buf, "%.1fM", steps / 1e6);
  return buf;
}

ImU32 class_colour(int label) {
  const Rgb& c = class_rgb(label);
  return ImGui::ColorConvertFloat4ToU32(ImVec4(c.r, c.g, c.b, 1.0f));
}

} // namespace splinescope
