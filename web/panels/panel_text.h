// panel_text.h - how the panels write figures and colour data: shared by the settings panel,
// the phone's bar, the charts and the dataset thumbnails.
#pragma once

#include <imgui.h>

#include <string>

namespace splinescope {

// A figure for a panel: "-" for NaN, otherwise printf's `fmt`.
std::string format_metric(double v, const char* fmt = "%.4f");
// A loss readable at every scale: 0.8134, 0.0123, 3.09e-06.
std::string format_loss(double v);
// A step count in a few characters: 950, 12.5k, 3.2M.
std::string format_steps(double steps);
// The colour of class `label`'s points, as the canvas draws them (kClassColours, class_colours.h).
ImU32 class_colour(int label);

} // namespace splinescope
